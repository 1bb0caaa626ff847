// "The customer's phone": a single page at the sandbox root from which a person plays a customer —
// pick a platform and a customer, type, send a photo, voice note, document or location, react, reply,
// and watch the business's replies arrive (server-sent events from /_sandbox/events).

export function phonePageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Meta sandbox — the customer's phone</title>
<style>
:root{--bg:#f0f2f5;--panel:#fff;--ink:#1c1e21;--muted:#65676b;--me:#0084ff;--them:#e4e6eb;--accent:#0866ff}
*{box-sizing:border-box}[hidden]{display:none!important}body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--ink)}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:17px;margin:0}header .note{color:var(--muted);font-size:13px}
main{display:grid;grid-template-columns:280px minmax(0,1fr);gap:16px;max-width:1100px;margin:16px auto;padding:0 16px}
@media (max-width:760px){main{grid-template-columns:1fr}}
.panel{background:var(--panel);border-radius:12px;box-shadow:0 1px 4px #0001;padding:14px}
fieldset{border:0;padding:0;margin:0 0 12px}legend,label.block{font-weight:600;font-size:13px;margin-bottom:6px;display:block}
.tabs{display:flex;gap:6px}.tabs label{flex:1}.tabs input{position:absolute;opacity:0}
.tabs span{display:block;text-align:center;padding:7px 4px;border-radius:8px;background:var(--them);cursor:pointer;font-size:13px}
.tabs input:checked+span{background:var(--accent);color:#fff}.tabs input:focus-visible+span{outline:3px solid #000;outline-offset:2px}
select,textarea,button{font:inherit}select{width:100%;padding:7px;border-radius:8px;border:1px solid #ccd0d5}
.who{margin-top:10px;font-size:13px;color:var(--muted)}
.phone{display:flex;flex-direction:column;height:calc(100vh - 120px);min-height:480px;padding:0;overflow:hidden}
.phone-head{padding:12px 14px;border-bottom:1px solid #eee;display:flex;justify-content:space-between;align-items:center;gap:8px}
.phone-head strong{font-size:15px}.window{font-size:12px;padding:2px 8px;border-radius:10px;background:#e7f3e8;color:#1e6b2a}
.window.closed{background:#fdecea;color:#a11}
ol.thread{list-style:none;margin:0;padding:14px;overflow-y:auto;flex:1;display:flex;flex-direction:column;gap:6px}
.msg{font-weight:400;max-width:72%;padding:8px 12px;border-radius:18px;background:var(--them);align-self:flex-start;position:relative;cursor:pointer;border:2px solid transparent;text-align:left;color:inherit}
.msg.customer{align-self:flex-end;background:var(--me);color:#fff}
.msg.selected{border-color:#f5b400}.msg .meta{display:block;font-size:11px;opacity:.75;margin-top:2px}
.msg img{max-width:160px;border-radius:10px;display:block;margin:4px 0}.msg .quote{font-size:12px;opacity:.8;border-left:3px solid currentColor;padding-left:6px;margin-bottom:4px}
.msg .reactions{position:absolute;bottom:-12px;right:8px;background:#fff;border-radius:10px;padding:0 4px;font-size:13px;box-shadow:0 1px 2px #0003;color:#000}
.msg.deleted{font-style:italic;opacity:.6}.day{align-self:center;font-size:12px;color:var(--muted);margin:8px 0}
.composer{border-top:1px solid #eee;padding:10px;display:flex;flex-direction:column;gap:8px}
.replying{font-size:13px;background:#fff8e1;padding:6px 10px;border-radius:8px;display:flex;justify-content:space-between;gap:8px}
.row{display:flex;gap:8px;align-items:flex-end}textarea{flex:1;resize:none;border-radius:18px;border:1px solid #ccd0d5;padding:8px 12px;min-height:40px}
button{border:0;border-radius:18px;padding:8px 14px;background:var(--accent);color:#fff;cursor:pointer;font-weight:600}
button.secondary{background:var(--them);color:var(--ink)}button:disabled{opacity:.5;cursor:not-allowed}
button:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #000;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:6px}.emoji button{padding:6px 9px}
#status{font-size:12px;color:var(--muted);min-height:1em}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
</style>
</head>
<body>
<header><h1>📱 The customer's phone</h1><span class="note">Meta sandbox — messages you send here reach the app as signed Meta webhooks.</span></header>
<main>
<section class="panel" aria-labelledby="pick">
  <h2 id="pick" class="sr-only">Choose who you are</h2>
  <fieldset><legend>Platform</legend>
    <div class="tabs" role="radiogroup">
      <label><input type="radio" name="platform" value="messenger" checked><span>Messenger</span></label>
      <label><input type="radio" name="platform" value="instagram"><span>Instagram</span></label>
      <label><input type="radio" name="platform" value="whatsapp"><span>WhatsApp</span></label>
    </div>
  </fieldset>
  <label class="block" for="customer">Customer</label>
  <select id="customer"></select>
  <p class="who" id="who"></p>
  <hr>
  <label class="block" for="native">The business, from Meta's own app</label>
  <div class="row"><textarea id="native" rows="1" placeholder="Reply typed in the Page inbox…"></textarea>
  <button type="button" class="secondary" id="nativeSend">Send</button></div>
  <p class="who">Arrives in Chats as an echo not sent by the app.</p>
</section>
<section class="panel phone" aria-labelledby="chatTitle">
  <div class="phone-head"><strong id="chatTitle">Chat</strong><span id="window" class="window" role="status"></span></div>
  <ol class="thread" id="thread" aria-live="polite" aria-label="Conversation"></ol>
  <div class="composer">
    <div class="replying" id="replying" hidden><span id="replyingText"></span><button type="button" class="secondary" id="cancelReply">Cancel</button></div>
    <div class="row">
      <label for="text" class="sr-only">Message</label>
      <textarea id="text" rows="1" placeholder="Type a message…"></textarea>
      <button type="button" id="send">Send</button>
    </div>
    <div class="actions" aria-label="Attachments and actions">
      <button type="button" class="secondary" data-kind="image">📷 Photo</button>
      <button type="button" class="secondary" data-kind="voice">🎤 Voice</button>
      <button type="button" class="secondary" data-kind="file">📄 Document</button>
      <button type="button" class="secondary" data-kind="sticker">🙂 Sticker</button>
      <button type="button" class="secondary" data-kind="location">📍 Location</button>
      <button type="button" class="secondary" data-kind="story_mention">📸 Mention in story</button>
      <button type="button" class="secondary" data-kind="read">👀 Mark business replies read</button>
    </div>
    <div class="actions emoji" aria-label="React to the selected message">
      <button type="button" class="secondary" data-emoji="❤️" aria-label="React with a heart">❤️</button>
      <button type="button" class="secondary" data-emoji="👍" aria-label="React with thumbs up">👍</button>
      <button type="button" class="secondary" data-emoji="😂" aria-label="React with laughter">😂</button>
      <button type="button" class="secondary" data-emoji="😮" aria-label="React with surprise">😮</button>
      <button type="button" class="secondary" data-emoji="🙏" aria-label="React with thanks">🙏</button>
      <button type="button" class="secondary" data-emoji="" aria-label="Remove my reaction">✖</button>
    </div>
    <div id="status" role="status"></div>
  </div>
</section>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  let world = null, selected = null, thread = null;
  const platform = () => document.querySelector('input[name=platform]:checked').value;
  const customer = () => $("customer").value;
  const say = (text) => { $("status").textContent = text; };

  async function api(path, body) {
    const res = await fetch("/_sandbox" + path, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {});
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((json.error && (json.error.message + (json.error.issues ? ": " + json.error.issues.join("; ") : ""))) || res.statusText);
    return json;
  }

  function fillCustomers() {
    const list = world.customers.filter((c) => c.platform === platform());
    const select = $("customer");
    select.replaceChildren(...list.map((c) => { const o = document.createElement("option"); o.value = c.id; o.textContent = c.name + (c.username ? " (@" + c.username + ")" : ""); return o; }));
    const actions = world.actions[platform()];
    document.querySelectorAll("[data-kind]").forEach((b) => { const k = b.dataset.kind; b.hidden = !actions.includes(k); });
    selected = null; showReply(); load();
  }

  function describe(m) {
    const a = m.attachments[0];
    if (m.deleted) return "This message was deleted";
    if (m.type === "story_reply") return "↪ replied to your story: " + (m.text || "");
    if (!a) return m.text || "";
    const labels = { image: "📷 Photo", audio: a.voice ? "🎤 Voice message" : "🎵 Audio", video: "🎬 Video", file: "📄 " + (a.name || "Document"), sticker: "🙂 Sticker",
      location: "📍 " + (a.title || "Location") + " (" + a.latitude + ", " + a.longitude + ")", contacts: "👤 " + (a.contact ? a.contact.name : "Contact"),
      story_mention: "📸 Mentioned you in their story", share: "🔗 " + (a.title || a.url), template: "🧩 Template", fallback: "🔗 " + (a.title || a.url) };
    return (labels[a.type] || a.type) + (m.text ? " — " + m.text : "");
  }

  function render() {
    const list = $("thread");
    const items = [];
    let lastDay = "";
    for (const m of (thread ? thread.messages : [])) {
      const day = new Date(m.timestamp).toLocaleDateString();
      if (day !== lastDay) { const li = document.createElement("li"); li.className = "day"; li.textContent = day; items.push(li); lastDay = day; }
      const li = document.createElement("li");
      li.style.display = "contents";
      const b = document.createElement("button");
      b.type = "button";
      b.className = "msg " + m.from + (m.deleted ? " deleted" : "") + (selected === m.id ? " selected" : "");
      b.setAttribute("aria-pressed", selected === m.id ? "true" : "false");
      if (m.replyTo) { const q = thread.messages.find((x) => x.id === m.replyTo); const d = document.createElement("span"); d.className = "quote"; d.textContent = q ? describe(q) : "Replied to a message"; d.style.display = "block"; b.append(d); }
      const a = m.attachments[0];
      if (a && a.url && (a.type === "image" || a.type === "sticker" || a.type === "story_mention")) { const img = document.createElement("img"); img.src = a.url; img.alt = a.type; b.append(img); }
      b.append(document.createTextNode(describe(m)));
      const meta = document.createElement("span"); meta.className = "meta";
      const time = new Date(m.timestamp).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      meta.textContent = m.from === "customer" ? time + (m.seenByBusiness ? " · Seen" : "") + (m.editCount ? " · Edited" : "")
        : time + (m.sentFrom === "native" ? " · from Meta's app" : "") + (m.status === "failed" ? " · Failed" + (m.error ? " (" + m.error.code + ")" : "") : "");
      b.append(meta);
      if (m.reactions.length) { const r = document.createElement("span"); r.className = "reactions"; r.textContent = m.reactions.map((x) => x.emoji).join(""); b.append(r); }
      b.addEventListener("click", () => { selected = selected === m.id ? null : m.id; showReply(); render(); });
      li.append(b);
      items.push(li);
    }
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren(...items);
    if (atBottom || !list.dataset.seen) { list.scrollTop = list.scrollHeight; list.dataset.seen = "1"; }
    const c = world && world.customers.find((x) => x.platform === platform() && x.id === customer());
    $("chatTitle").textContent = c ? c.name : "Chat";
    $("who").textContent = c ? (platform() === "whatsapp" ? "wa_id " : platform() === "instagram" ? "IGSID " : "PSID ") + c.id : "";
    const w = $("window");
    w.textContent = thread && thread.windowOpen ? "24-hour window open" : "Window closed — the business can only send templates/tags";
    w.className = "window" + (thread && thread.windowOpen ? "" : " closed");
  }

  function showReply() {
    const m = selected && thread && thread.messages.find((x) => x.id === selected);
    $("replying").hidden = !m;
    $("replyingText").textContent = m ? "Replying to: " + describe(m).slice(0, 80) : "";
  }

  async function load() {
    if (!customer()) { thread = null; render(); return; }
    const data = await api("/threads?platform=" + platform() + "&customer=" + encodeURIComponent(customer()));
    thread = data.threads[0] || { messages: [], windowOpen: false };
    render();
  }

  async function act(body) {
    try {
      await api("/customers/send", Object.assign({ platform: platform(), customer: customer() }, body));
      say("Sent as a webhook to the app.");
      await load();
    } catch (e) { say("Could not send: " + e.message); }
  }

  $("send").addEventListener("click", () => {
    const text = $("text").value.trim();
    if (!text) { $("text").focus(); return; }
    const body = selected ? { kind: "reply", text, messageId: selected } : { kind: "text", text };
    $("text").value = ""; selected = null; showReply(); act(body);
  });
  $("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("send").click(); } });
  $("cancelReply").addEventListener("click", () => { selected = null; showReply(); render(); });
  document.querySelectorAll("[data-kind]").forEach((b) => b.addEventListener("click", () => {
    const kind = b.dataset.kind;
    const caption = $("text").value.trim();
    const body = { kind };
    if (caption && (kind === "image" || kind === "file")) { body.text = caption; $("text").value = ""; }
    if (kind === "read" && selected) body.messageId = selected;
    act(body);
  }));
  document.querySelectorAll("[data-emoji]").forEach((b) => b.addEventListener("click", () => {
    if (!selected) { say("Select a message first, then react."); return; }
    act(b.dataset.emoji ? { kind: "reaction", messageId: selected, emoji: b.dataset.emoji } : { kind: "unreaction", messageId: selected });
  }));
  $("nativeSend").addEventListener("click", async () => {
    const text = $("native").value.trim();
    if (!text) return;
    try { await api("/business/send", { platform: platform(), customer: customer(), text }); $("native").value = ""; say("Echo sent to the app."); await load(); }
    catch (e) { say("Could not send: " + e.message); }
  });
  document.querySelectorAll("input[name=platform]").forEach((r) => r.addEventListener("change", fillCustomers));
  $("customer").addEventListener("change", () => { selected = null; showReply(); $("thread").dataset.seen = ""; load(); });

  function listen() {
    const source = new EventSource("/_sandbox/events");
    source.addEventListener("change", (e) => {
      const change = JSON.parse(e.data);
      if (change.kind === "reset") { api("/state").then((w) => { world = w; fillCustomers(); }); return; }
      if (change.platform === platform() && (change.customerId === customer() || change.recipientId === customer())) load();
    });
    source.onerror = () => { source.close(); setTimeout(listen, 2000); };
  }

  api("/state").then((w) => { world = w; fillCustomers(); listen(); }).catch((e) => say("Sandbox unreachable: " + e.message));
})();
</script>
</body>
</html>`;
}
