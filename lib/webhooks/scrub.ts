import "server-only";

// PostgreSQL text and jsonb cannot hold U+0000. Meta's payloads may (escaped as \u0000 in JSON), so
// before anything is stored it becomes U+FFFD, the replacement character; the raw event keeps the
// original bytes, so nothing is lost.

const NUL = /\u0000/g;

export function scrubNul<T>(value: T): T {
  if (typeof value === "string") return (value.includes("\u0000") ? value.replace(NUL, "\uFFFD") : value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubNul(item) as unknown) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrubNul(key), scrubNul(item)])) as T;
  }
  return value;
}
