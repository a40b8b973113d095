import { smsRoutes } from "../../../../../auth";

export const { POST } = smsRoutes.resend;
