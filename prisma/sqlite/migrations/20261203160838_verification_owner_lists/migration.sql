-- CreateIndex
CREATE INDEX "verifications_status_created_at_idx" ON "verifications"("status", "created_at");

-- CreateIndex
CREATE INDEX "verifications_test_number_created_at_idx" ON "verifications"("test_number", "created_at");
