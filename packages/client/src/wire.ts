// @parley/client/wire: the SDK's translation of decoded server packets into plain, checked
// records (branded ids, positions with a number seq, a missing required field answered with
// undefined). Pure functions with no client state, for other protocol clients such as the
// load tester, which speaks the wire itself and keeps its own delivery and order model.
export {
  toAccepted,
  toAckReceipt,
  toOfflinePage,
  toReceivedMessage,
  toServerError,
  toSyncPage,
  toWelcome,
  wireNumber,
  type AckReceipt,
  type AckStatusName,
  type Accepted,
  type OfflinePage,
  type Position,
  type ReceivedMessage,
  type ServerError,
  type SyncPage,
  type WelcomeInfo,
} from './frames';
