// An Adaptive Card as a Bot Framework attachment.
import { CardFactory, type Attachment } from "botbuilder";
import type { AdaptiveCard } from "./cards/common";

export function cardAttachment(card: AdaptiveCard): Attachment {
  return CardFactory.adaptiveCard(card);
}
