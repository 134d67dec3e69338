/**
 * Media bucket: private (SST blocks every kind of public access by default and denies plain HTTP),
 * encrypted with SSE-S3, versioned in production. The app signs URLs for the networks
 * (MEDIA_URL_TTL_SECONDS); nothing is served from the bucket directly.
 */
export function createStorage({ isProduction }: { isProduction: boolean }) {
  const media = new sst.aws.Bucket("Media", {
    versioning: isProduction,
    transform: {
      bucket: (args) => {
        // Never empty a production bucket on removal (the stage retains it anyway).
        args.forceDestroy = !isProduction;
      },
    },
  });
  new aws.s3.BucketServerSideEncryptionConfiguration("MediaEncryption", {
    bucket: media.name,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
  });
  return { media };
}
