-- AlterTable
ALTER TABLE "listings" ADD COLUMN     "visits_lifetime" INTEGER;
