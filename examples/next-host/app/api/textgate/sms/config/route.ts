import { smsRoutes } from "../../../../../auth";

export const { GET } = smsRoutes.config;
