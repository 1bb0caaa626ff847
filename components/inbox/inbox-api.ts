import { apiFetch } from "@/lib/client/api";
import { filtersToParams } from "./format";
import type { Conversation, Filters, Message, SendBody, Summary, WhatsAppTemplate } from "./types";

// The inbox's calls to the REST API of API.md ("Conversations and messages"), all same-origin with
// the session cookie. Every list call is scoped to the workspace the browser works in.

export const LIST_PAGE_SIZE = 30;
export const THREAD_PAGE_SIZE = 40;
export const SEARCH_PAGE_SIZE = 20;

function query(params: URLSearchParams): string {
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function listConversations(
  workspaceId: string,
  filters: Filters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ conversations: Conversation[]; nextCursor: string | null }> {
  const params = filtersToParams(filters);
  params.set("workspaceId", workspaceId);
  params.set("limit", String(LIST_PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return apiFetch(`/api/conversations${query(params)}`, { signal });
}

export function getSummary(workspaceId: string): Promise<Summary> {
  return apiFetch(`/api/conversations/summary?workspaceId=${encodeURIComponent(workspaceId)}`);
}

export async function getConversation(id: string, signal?: AbortSignal): Promise<Conversation> {
  const body = await apiFetch<{ conversation: Conversation }>(`/api/conversations/${encodeURIComponent(id)}`, { signal });
  return body.conversation;
}

export function listMessages(
  conversationId: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ messages: Message[]; nextCursor: string | null }> {
  const params = new URLSearchParams({ limit: String(THREAD_PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  return apiFetch(`/api/conversations/${encodeURIComponent(conversationId)}/messages${query(params)}`, { signal });
}

export function searchMessages(
  workspaceId: string,
  filters: Filters,
  signal?: AbortSignal,
): Promise<{ messages: Message[]; nextCursor: string | null }> {
  const params = new URLSearchParams({ workspaceId, q: filters.q.trim(), limit: String(SEARCH_PAGE_SIZE) });
  if (filters.platform) params.set("platform", filters.platform);
  return apiFetch(`/api/messages${query(params)}`, { signal });
}

export async function getMessage(id: string): Promise<Message> {
  const body = await apiFetch<{ message: Message }>(`/api/messages/${encodeURIComponent(id)}`);
  return body.message;
}

export async function markConversationRead(id: string): Promise<Conversation> {
  const body = await apiFetch<{ conversation: Conversation }>(`/api/conversations/${encodeURIComponent(id)}/read`, {
    method: "POST",
  });
  return body.conversation;
}

export async function setArchived(id: string, isArchived: boolean): Promise<Conversation> {
  const body = await apiFetch<{ conversation: Conversation }>(`/api/conversations/${encodeURIComponent(id)}`, {
    method: "PATCH",
    body: { isArchived },
  });
  return body.conversation;
}

export async function sendMessage(body: SendBody): Promise<Message> {
  const answer = await apiFetch<{ message: Message }>("/api/messages", { method: "POST", body });
  return answer.message;
}

export async function retryMessage(id: string): Promise<Message> {
  const answer = await apiFetch<{ message: Message }>(`/api/messages/${encodeURIComponent(id)}/retry`, { method: "POST" });
  return answer.message;
}

export async function listTemplates(platformId: string, signal?: AbortSignal): Promise<WhatsAppTemplate[]> {
  const body = await apiFetch<{ templates: WhatsAppTemplate[] }>(`/api/platforms/${encodeURIComponent(platformId)}/templates`, {
    signal,
  });
  return body.templates;
}
