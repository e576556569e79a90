/* Cabildo embed: <script src="https://HOST/embed.js" defer></script> adds a floating chat button. */
(function () {
  if (window.__cabildoEmbed) return;
  window.__cabildoEmbed = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src, location.href).origin : location.origin;

  var style = document.createElement('style');
  style.textContent =
    '.cabildo-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;' +
    'background:#1d4f91;color:#fff;font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}' +
    '.cabildo-frame{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:380px;height:600px;max-height:calc(100vh - 104px);' +
    'border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff;display:none}' +
    '.cabildo-frame.open{display:block}' +
    '@media (max-width:480px){.cabildo-frame{right:0;bottom:0;width:100vw;height:100vh;max-height:none;border-radius:0}' +
    '.cabildo-launcher.open{bottom:auto;top:12px;right:12px;padding:8px 14px}}';
  document.head.appendChild(style);

  var frame = document.createElement('iframe');
  frame.className = 'cabildo-frame';
  frame.title = 'Chat de Cabildo';
  frame.setAttribute('allow', 'clipboard-write');

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'cabildo-launcher';
  button.textContent = 'Chat de participación';
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', function () {
    // The chat loads on first open only, so pages that never use it pay nothing.
    if (!frame.src) frame.src = origin + '/?embed=1';
    var open = !frame.classList.contains('open');
    frame.classList.toggle('open', open);
    button.classList.toggle('open', open);
    button.textContent = open ? 'Cerrar chat' : 'Chat de participación';
    button.setAttribute('aria-expanded', String(open));
  });

  function mount() {
    document.body.appendChild(frame);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
