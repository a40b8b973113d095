-- CreateIndex
CREATE INDEX "deliveries_carrier_carrier_message_id_idx" ON "deliveries"("carrier", "carrier_message_id");
