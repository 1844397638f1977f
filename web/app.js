// The chat page: talks to Rasa's REST channel and draws the contract's markers
// (question, eligibility, handoff). Bot text is only ever set with textContent.
"use strict";

(() => {
  const REST_URL = (window.ASSISTANT_CONFIG || {}).restUrl || "http://127.0.0.1:5005/webhooks/rest/webhook";
  // The page's trial, its nurse line and the decision's caveat as its status words it: the
  // server fills them in from the trial file. The trial's id goes with every message.
  const TRIAL = document.body.dataset.trial;
  const NURSE_PHONE = document.querySelector("#nurse .phone").textContent;
  const NURSES = document.body.dataset.nurses;
  const CAVEAT = document.body.dataset.caveat || "";
  const TIMEOUT_MS = 60000;
  const HEADINGS = {
    likely_eligible: () => "Likely to meet the entry rules",
    not_yet: (from) => (from ? `Not yet — from ${longDate(from)}` : "Not yet"),
    unsure: () => "Not sure yet",
    not_eligible: () => "Would not have been able to join",
  };

  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const scroller = $("scroller");
  const typing = $("typing");
  const choices = $("choices");
  const pickerForm = $("picker-form");
  const picker = $("picker");
  const pickerLabel = $("picker-label");
  const pickerWhat = $("picker-what");
  const composer = $("composer");
  const textForm = $("text-form");
  const text = $("text");
  const restart = $("restart");
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const sender = senderId();
  let busy = false;
  let cardCount = 0;

  function senderId() {
    const key = `trial-assistant-sender:${TRIAL}`;  // a conversation belongs to one trial
    let id = sessionStorage.getItem(key);
    if (!id) {
      id = crypto.randomUUID ? crypto.randomUUID() : fallbackUuid();
      sessionStorage.setItem(key, id);
    }
    return id;
  }

  function fallbackUuid() {
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function longDate(iso) {
    const d = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  function telLink(phone) {
    const a = el("a", "tel", phone);
    a.href = `tel:${String(phone).replace(/[^0-9+]/g, "")}`;
    return a;
  }

  function append(node) {
    log.appendChild(node);
    return node;
  }

  function addMessage(who, content) {
    const item = el("div", `msg ${who}`);
    item.appendChild(el("span", "visually-hidden", who === "user" ? "You said: " : "Assistant: "));
    item.appendChild(el("span", "body", content));
    return append(item);
  }

  function addCard(kind, heading) {
    cardCount += 1;
    const card = el("section", `card ${kind}`);
    const h = el("h3", null, heading);
    h.id = `card-${cardCount}`;
    card.setAttribute("aria-labelledby", h.id);
    card.appendChild(h);
    return append(card);
  }

  function addDecision(result) {
    const heading = (HEADINGS[result.outcome] || (() => "Result"))(result.eligible_from);
    const card = addCard(`decision ${result.outcome || ""}`, heading);
    card.appendChild(el("p", null, `The reasons are in the message above. ${CAVEAT}`));
    return card;
  }

  function addHandoff(handoff) {
    const card = addCard("handoff", "Talk to a nurse");
    const call = el("p", null, `Call the ${NURSES} free on `);
    call.appendChild(telLink(handoff.phone || NURSE_PHONE));
    call.appendChild(document.createTextNode("."));
    card.appendChild(call);
    if (handoff.reference) {
      const ref = el("p", null, "Your reference: ");
      ref.appendChild(el("strong", "reference", handoff.reference));
      if (navigator.clipboard) {
        const copy = el("button", "secondary copy", "Copy");
        copy.type = "button";
        copy.setAttribute("aria-label", `Copy the reference ${handoff.reference}`);
        copy.addEventListener("click", () => navigator.clipboard.writeText(handoff.reference)
          .then(() => { copy.textContent = "Copied"; }, () => { copy.textContent = "Select it to copy"; }));
        ref.appendChild(document.createTextNode(" "));
        ref.appendChild(copy);
      }
      card.appendChild(ref);
      card.appendChild(el("p", null, "With this reference, the nurse can see the answers you gave here."));
    }
    if (handoff.summary) {
      const more = el("details");
      more.appendChild(el("summary", null, "A summary you could read to them"));
      more.appendChild(el("p", "summary", handoff.summary));
      card.appendChild(more);
    }
    return card;
  }

  function addError() {
    const item = el("div", "msg bot error");
    item.appendChild(el("span", "visually-hidden", "Assistant: "));
    const body = el("span", "body", `Sorry, I could not reach the assistant just now. Please try again in a moment, or call the ${NURSES} free on `);
    body.appendChild(telLink(NURSE_PHONE));
    body.appendChild(document.createTextNode("."));
    item.appendChild(body);
    return append(item);
  }

  function humanise(choice) {
    const s = String(choice).replace(/_/g, " ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // The latest question marker decides the input; without one, the message's own
  // buttons (if any) are offered as they are.
  function setOptions(question, buttons) {
    let options = buttons.map((b) => ({ title: b.title || b.payload, payload: b.payload }));
    let kind = null;
    composer.dataset.slot = question ? String(question.slot) : "";
    if (question) {
      kind = question.kind;
      const titles = new Map(buttons.map((b) => [b.payload, b.title]));
      options = (question.choices || []).map((c) => ({ title: titles.get(c) || humanise(c), payload: c }));
    }
    choices.replaceChildren(...options.map((o) => {
      const b = el("button", "choice", o.title);
      b.type = "button";
      b.dataset.payload = String(o.payload);
      b.addEventListener("click", () => send(String(o.payload), o.title));
      return b;
    }));
    if (kind === "checklist" && Array.isArray(question.items)) choices.appendChild(checklist(question.items));
    choices.hidden = options.length === 0 && kind !== "checklist";

    pickerForm.hidden = kind !== "date" && kind !== "number";
    picker.value = "";
    if (kind === "date") {
      picker.type = "date";
      picker.removeAttribute("inputmode");
      picker.removeAttribute("step");
      pickerLabel.textContent = "Pick a date";
      pickerWhat.textContent = " date";
    } else if (kind === "number") {
      picker.type = "number";
      picker.inputMode = "decimal";
      picker.step = "any";
      pickerLabel.textContent = "Enter a number";
      pickerWhat.textContent = " number";
    }
    picker.required = !pickerForm.hidden;
  }

  // A checklist: a checkbox per item and a button that sends the ticked items' lines;
  // "None of these" stays a button of its own, first.
  function checklist(items) {
    const box = el("fieldset", "checklist");
    box.appendChild(el("legend", null, "Choose all that apply"));
    const send_ = el("button", "choice send-ticked", "Send these");
    send_.type = "button";
    send_.disabled = true;
    const boxes = items.map((item, i) => {
      const row = el("div", "check");
      const input = el("input");
      input.type = "checkbox";
      input.id = `item-${cardCount}-${i}`;
      input.value = String(item.label);
      input.addEventListener("change", () => { send_.disabled = !boxes.some((b) => b.checked); });
      const label = el("label", null, String(item.label));
      label.htmlFor = input.id;
      row.append(input, label);
      box.appendChild(row);
      return input;
    });
    send_.addEventListener("click", () => {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
      if (ticked.length) send(ticked.join("; "), ticked.join("; "));
    });
    box.appendChild(send_);
    cardCount += 1;
    return box;
  }

  function render(items) {
    let question = null;
    let buttons = [];
    let first = null;
    let last = null;
    const keep = (node) => { first = first || node; };
    for (const item of items) {
      if (!item || typeof item !== "object") continue;
      if (typeof item.text === "string" && item.text) keep(last = addMessage("bot", item.text));
      if (Array.isArray(item.buttons) && item.buttons.length) buttons = item.buttons.filter((b) => b && b.payload !== undefined);
      const custom = item.custom;
      if (custom && typeof custom === "object") {
        if (custom.question) question = custom.question;
        if (custom.eligibility) keep(addDecision(custom.eligibility));
        if (custom.handoff) keep(addHandoff(custom.handoff));
      }
    }
    // A checklist's items are its checkboxes: the question's text keeps only its first line.
    if (question && question.kind === "checklist" && last) {
      const body = last.querySelector(".body");
      body.textContent = body.textContent.split("\n")[0];
    }
    setOptions(question, buttons);
    return first;
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    log.setAttribute("aria-busy", String(on));
    for (const b of document.querySelectorAll("#choices button, .composer button, #restart")) b.disabled = on;
    // A checklist's send button waits for a ticked box.
    for (const b of document.querySelectorAll(".send-ticked")) b.disabled = on || !b.closest("fieldset").querySelector("input:checked");
  }

  // Show the reply from its start, but never scroll the control that gets focus out of
  // view; then focus the first answer button, or the text box.
  function reveal(first) {
    const target = (!choices.hidden && choices.querySelector("button")) || text;
    const box = scroller.scrollHeight > scroller.clientHeight + 1 ? scroller : null;
    const view = box ? box.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    let delta = first ? first.getBoundingClientRect().top - view.top - 8 : 0;
    // A checklist shows down to its send button, as far as the start of the reply allows.
    const end = (!choices.hidden && choices.querySelector(".send-ticked")) || target;
    if (!box || box.contains(target)) delta = Math.min(delta, end.getBoundingClientRect().bottom + 8 - view.bottom);
    if (Math.abs(delta) >= 1) (box || window).scrollBy({ top: delta, behavior: reducedMotion.matches ? "auto" : "smooth" });
    target.focus({ preventScroll: true });
  }

  async function post(message) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(REST_URL, {
        method: "POST",
        // X-Sender-Id lets a proxy keep one conversation on one replica (docs/deployment.md).
        headers: { "Content-Type": "application/json", "X-Sender-Id": sender },
        body: JSON.stringify({ sender, message, metadata: { trial: TRIAL } }),
        signal: controller.signal,
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const items = await res.json();
      if (!Array.isArray(items) || items.length === 0) throw new Error("empty reply");
      return items;
    } finally {
      clearTimeout(timer);
    }
  }

  // shown: what the transcript shows for the user (null: nothing, e.g. the first "hi").
  async function send(message, shown, typed = false) {
    if (busy || !message.trim()) return;
    setBusy(true);
    const offered = !choices.hidden;
    choices.hidden = true;
    if (shown !== null) addMessage("user", shown === undefined ? message : shown);
    typing.scrollIntoView({ block: "nearest" });
    let first = null;
    try {
      first = render(await post(message));
    } catch (err) {
      first = addError();
      choices.hidden = !offered;
      if (typed && !text.value) text.value = message;
    } finally {
      setBusy(false);
    }
    reveal(first);
  }

  textForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = text.value.trim();
    if (!message || busy) return;
    text.value = "";
    send(message, message, true);
  });

  pickerForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = picker.value;
    if (!value || busy) return;
    send(value, picker.type === "date" ? longDate(value) : value);
  });

  restart.addEventListener("click", () => send("start over", "Start over"));

  send("hi", null);
})();
