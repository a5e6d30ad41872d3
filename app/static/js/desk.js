// The check-in desk: camera scanning with the vendored qr-scanner, keyboard-wedge scanners, print buttons.
// Every page works without this file: codes can be typed and every form posts normally.
//
// qr-scanner 1.4.2 (UMD) finds its decoder with import("./qr-scanner-worker.min.js"), which resolves
// against the URL of qr-scanner.umd.min.js itself: /static/vendor/qr-scanner-1.4.2/. The worker then
// runs from a blob: URL of that same file, so nothing is fetched from another host.
(function () {
  "use strict";
  if (window.hearingsDesk) return; // htmx runs this script again when a boosted page swap includes it
  window.hearingsDesk = true;

  const SAME_CODE_PAUSE_MS = 8000; // a ticket held in front of the camera is sent once, not 25 times a second
  let scanner = null;
  let lastText = "";
  let lastAt = 0;
  let busy = false;
  let lastPointer = "mouse";

  const byId = (id) => document.getElementById(id);
  const message = (name) => (document.querySelector(".desk") || document.body).dataset[name] || "";
  const looksScanned = (value) => value.includes("/") || value.trim().length >= 20;

  function setStatus(text) {
    const status = byId("camera-status");
    if (status) status.textContent = text;
  }

  function submitCode(text, method) {
    const form = byId("checkin-form");
    if (!form) return;
    byId("checkin-code").value = text;
    byId("checkin-method").value = method;
    form.requestSubmit();
  }

  function onDecode(result) {
    const text = String((result && result.data) || "").trim();
    const now = Date.now();
    if (!text || busy) return;
    if (text === lastText && now - lastAt < SAME_CODE_PAUSE_MS) return;
    lastText = text;
    lastAt = now;
    submitCode(text, "camera");
  }

  function stopCamera() {
    if (scanner) {
      scanner.stop();
      scanner.destroy();
      scanner = null;
    }
    const frame = document.querySelector(".camera-frame");
    if (frame) frame.hidden = true;
    const button = byId("camera-toggle");
    if (button) button.textContent = message("msgStart");
  }

  async function startCamera() {
    const video = byId("camera-video");
    if (!window.QrScanner || !video) return setStatus(message("msgNoCamera"));
    try {
      if (!(await window.QrScanner.hasCamera())) return setStatus(message("msgNoCamera"));
      document.querySelector(".camera-frame").hidden = false;
      scanner = new window.QrScanner(video, onDecode, {
        returnDetailedScanResult: true,
        preferredCamera: "environment",
        maxScansPerSecond: 8,
        highlightScanRegion: true,
        // Our own box: the library's default one carries style attributes, which the CSP refuses.
        overlay: document.querySelector(".camera-frame .scan-region"),
      });
      await scanner.start();
      byId("camera-toggle").textContent = message("msgStop");
      setStatus(message("msgScanning"));
    } catch (error) {
      stopCamera();
      setStatus(message("msgCameraDenied"));
    }
  }

  function init() {
    const button = byId("camera-toggle");
    if (button && button.hidden) {
      if (window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
        button.hidden = false;
      } else {
        setStatus(message("msgInsecure"));
      }
    }
    document.querySelectorAll("[data-print][hidden]").forEach((element) => {
      element.hidden = false;
    });
  }

  // Focus goes back to the code field so that the next hardware scan lands there; on a touch screen
  // that would pop up the on-screen keyboard, so there the key redirect below does the job instead.
  function afterResult() {
    const result = byId("checkin-result");
    if (!result) return;
    const bind = byId("bind-form");
    if (bind) {
      const first = bind.querySelector("input[type=radio]");
      if (first) first.focus({ preventScroll: true });
    } else if (lastPointer !== "touch" && !scanner) {
      byId("checkin-code").focus({ preventScroll: true });
    }
    const box = result.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) result.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("pointerdown", (event) => {
    lastPointer = event.pointerType || "mouse";
  });

  // A keyboard-wedge scanner types the ticket link and Enter into whatever has focus. When that is not a
  // text field (a walk-in button was tapped last), send the characters to the code field instead.
  document.addEventListener("keydown", (event) => {
    const input = byId("checkin-code");
    if (!input || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.length !== 1 || event.key === " ") return;
    const target = event.target;
    if (target === input || target.closest("input[type=text], input[type=number], textarea, select")) return;
    event.preventDefault();
    input.focus({ preventScroll: true });
    input.value += event.key;
  });

  document.addEventListener("submit", (event) => {
    if (event.target.id !== "checkin-form") return;
    const method = byId("checkin-method");
    if (method.value !== "camera") method.value = looksScanned(byId("checkin-code").value) ? "scanner" : "code";
  }, true);

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.id !== "checkin-form") return;
    busy = true;
    byId("checkin-code").value = ""; // the request has its values; the next scan starts on an empty field
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt.id !== "checkin-form") return;
    busy = false;
    byId("checkin-method").value = "";
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target && event.detail.target.id === "checkin-result") afterResult();
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target === document.body) stopCamera(); // leaving the desk through a boosted link
  });
  window.addEventListener("pagehide", stopCamera);

  document.addEventListener("click", (event) => {
    if (event.target.closest("#camera-toggle")) {
      if (scanner) {
        stopCamera();
        setStatus("");
      } else {
        startCamera();
      }
    } else if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("htmx:load", init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
