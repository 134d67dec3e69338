/**
 * Media bucket: private (SST blocks every kind of public access by default and denies plain HTTP),
 * encrypted with SSE-S3, versioned in production. Only the app's server reads and writes it
 * (src/server/media/storage.ts; uploads and the signed media URLs go through the app), so no CORS.
 */
export function createStorage({ isProduction }: { isProduction: boolean }) {
  const media = new sst.aws.Bucket("Media", {
    versioning: isProduction,
    cors: false,
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
