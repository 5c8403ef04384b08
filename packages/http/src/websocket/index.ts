export type { ClientMessage, ServerMessage } from './websocket-protocol.ts';
export {
  attachWebSocketGateway,
  type WebSocketGateway,
  type WebSocketGatewayOptions,
} from './websocket-server.ts';
