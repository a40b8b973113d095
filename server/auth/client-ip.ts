/** Set by server.ts on every request from the socket's address (overwriting any client-sent value). */
export const CLIENT_IP_HEADER = "x-textgate-client-ip";
