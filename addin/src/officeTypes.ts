// The part of the Office JavaScript API (Office.js, Mailbox requirement sets) the add-in uses, typed by hand so the
// add-in needs no @types package and every fake host (office-addin-mock in the unit tests, the Chromium tests'
// injected host, the local dev page) implements one small, checked surface. Only addin/src/outlook.ts reads the
// global `Office`; everything else goes through it.

export interface OfficeAsyncResult<T> {
  status: string;
  value: T;
  error?: { name?: string; message?: string; code?: number };
  asyncContext?: unknown;
}
export type OfficeCallback<T> = (result: OfficeAsyncResult<T>) => void;

export interface OfficeEmailAddress {
  displayName?: string;
  emailAddress?: string;
  recipientType?: string;
}

export interface OfficeRecipients {
  getAsync(callback: OfficeCallback<OfficeEmailAddress[]>): void;
}

export interface OfficeNotificationDetails {
  type: string;
  message: string;
  icon?: string;
  persistent?: boolean;
}

export interface OfficeNotificationMessages {
  replaceAsync(key: string, details: OfficeNotificationDetails, callback?: OfficeCallback<void>): void;
  removeAsync(key: string, callback?: OfficeCallback<void>): void;
}

export interface OfficeSessionData {
  getAsync(key: string, callback: OfficeCallback<string>): void;
  setAsync(key: string, value: string, callback?: OfficeCallback<void>): void;
  removeAsync(key: string, callback?: OfficeCallback<void>): void;
}

/** A mail item in read mode (properties) or compose mode (async getters). Both shapes share one object in Office.js. */
export interface OfficeItem {
  itemType?: string;
  itemId?: string;
  internetMessageId?: string;
  /** Read mode: a string. Compose mode: an object with getAsync. */
  subject?: string | { getAsync(callback: OfficeCallback<string>): void };
  /** Read mode: the sender. Compose mode (Mailbox 1.7): an object with getAsync. */
  from?: OfficeEmailAddress | { getAsync(callback: OfficeCallback<OfficeEmailAddress>): void };
  sender?: OfficeEmailAddress;
  to?: OfficeEmailAddress[] | OfficeRecipients;
  cc?: OfficeEmailAddress[] | OfficeRecipients;
  bcc?: OfficeRecipients;
  dateTimeCreated?: Date | string;
  notificationMessages?: OfficeNotificationMessages;
  sessionData?: OfficeSessionData;
  body?: { getAsync(coercionType: string, callback: OfficeCallback<string>): void };
  /** Mailbox 1.8. */
  getAllInternetHeadersAsync?(callback: OfficeCallback<string>): void;
  /** Mailbox 1.14: the whole message as base64 EML. */
  getAsFileAsync?(callback: OfficeCallback<string>): void;
  /** Mailbox 1.8 (shared folders), 1.13 (shared mailboxes): only on an item in a mailbox shared with the user. */
  getSharedPropertiesAsync?(callback: OfficeCallback<{ owner?: string; targetMailbox?: string }>): void;
  /** Item events, e.g. RecipientsChanged while composing (Mailbox 1.7). */
  addHandlerAsync?(eventType: string, handler: (args?: unknown) => void, callback?: OfficeCallback<void>): void;
}

export interface OfficeMailbox {
  item?: OfficeItem | null;
  userProfile?: { displayName?: string; emailAddress?: string };
  /** Mailbox 1.3: an item id (EWS format) as the REST id Microsoft Graph uses. */
  convertToRestId?(itemId: string, restVersion: string): string;
  addHandlerAsync?(eventType: string, handler: (args?: unknown) => void, callback?: OfficeCallback<void>): void;
}

/** What `event.completed` takes for Smart Alerts (Mailbox 1.12; cancelLabel / commandId 1.14). */
export interface SmartAlertCompletion {
  allowEvent?: boolean;
  errorMessage?: string;
  cancelLabel?: string;
  commandId?: string;
  contextData?: string;
}

export interface OfficeEvent {
  completed(options?: SmartAlertCompletion): void;
}

export interface OfficeGlobal {
  onReady(callback?: (info: { host?: string; platform?: string }) => void): Promise<{ host?: string; platform?: string }>;
  context: {
    mailbox?: OfficeMailbox;
    requirements?: { isSetSupported(name: string, minVersion?: string): boolean };
    officeTheme?: { bodyBackgroundColor?: string };
    displayLanguage?: string;
  };
  auth?: {
    getAccessToken(options?: { allowSignInPrompt?: boolean; allowConsentPrompt?: boolean; forMSGraphAccess?: boolean }): Promise<string>;
  };
  actions?: { associate(actionId: string, handler: (event: OfficeEvent) => void): void };
  AsyncResultStatus: { Succeeded: string; Failed: string };
  CoercionType: { Text: string };
  EventType: { ItemChanged: string; RecipientsChanged?: string };
  MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: string; ErrorMessage: string }; RestVersion?: { v2_0: string } };
}
