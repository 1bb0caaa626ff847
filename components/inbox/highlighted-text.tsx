import { Fragment } from "react";

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The text with each searched word marked; always rendered as text, never as HTML. */
export function HighlightedText({ text, query }: { text: string; query: string }) {
  const words = query
    .replace(/["()]/g, " ")
    .split(/\s+/)
    .map((word) => word.replace(/^-/, ""))
    .filter((word) => word.length > 1 && word.toLowerCase() !== "or")
    .slice(0, 8);
  if (words.length === 0 || !text) return <>{text}</>;
  // Prefix match, as a stemmed search finds "orders" for "order".
  const pattern = new RegExp(`(${words.map(escape).join("|")})`, "giu");
  const parts = text.split(pattern);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <mark key={index} className="rounded-sm bg-amber-100 px-0.5 text-inherit">
            {part}
          </mark>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
