/** Where the header (server-rendered) leaves room for the connect button that wallet pages portal into it. */
export const WALLET_SLOT_ID = "wallet-slot";
