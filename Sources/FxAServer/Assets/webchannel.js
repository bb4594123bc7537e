// Firefox's WebChannel from the page's side, served at
// `/assets/webchannel.js`: the sign-in page and the settings pages use it
// to talk to the browser that opened them.
//
// The transport is Firefox's (FxAccountsWebChannel.sys.mjs, WebChannelChild):
// the page dispatches `WebChannelMessageToChrome` with a **string**
// `detail` of `{id: "account_updates", message: {command, data, messageId}}`,
// and Firefox answers with `WebChannelMessageToContent`, whose `detail` is
// an object carrying the same `messageId`. Firefox trusts only pages on
// the origin of `identity.fxaccounts.remote.root`; any other page gets
// `{errno: 2, error: "No Such Channel"}` without a `messageId`, which
// fails every pending request at once.
//
// `request` resolves with Firefox's `data`, or `null` when Firefox does
// not answer in time (a page not opened by Firefox has nobody to answer);
// `send` is for the messages Firefox does not answer (`profile:change`).
"use strict";
window.fxaWebChannel = Object.freeze((function () {
  const channel = "account_updates";
  const pending = new Map();
  let counter = 0;

  window.addEventListener("WebChannelMessageToContent", (event) => {
    const detail = event.detail;
    if (!detail || detail.id !== channel || !detail.message) return;
    const message = detail.message;
    if (message.messageId === undefined) {
      // "No Such Channel": this page's origin is not Firefox's account server.
      for (const [, settle] of pending) settle(null);
      pending.clear();
      return;
    }
    const settle = pending.get(message.messageId);
    if (settle) {
      pending.delete(message.messageId);
      settle(message.data === undefined ? {} : message.data);
    }
  });

  function dispatch(command, data, messageId) {
    const detail = JSON.stringify({ id: channel, message: { command, data, messageId } });
    window.dispatchEvent(new CustomEvent("WebChannelMessageToChrome", { detail }));
  }

  function send(command, data) {
    dispatch(command, data, "m" + (++counter) + "-" + Date.now());
  }

  function request(command, data, timeout) {
    const messageId = "m" + (++counter) + "-" + Date.now();
    return new Promise((resolve) => {
      const timer = timeout ? setTimeout(() => { pending.delete(messageId); resolve(null); }, timeout) : null;
      pending.set(messageId, (reply) => { if (timer) clearTimeout(timer); resolve(reply); });
      dispatch(command, data, messageId);
    });
  }

  return { send, request };
})());
