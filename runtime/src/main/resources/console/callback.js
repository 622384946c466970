// The identity provider redirects the sign-in window here with ?code=...&state=... . Hand the answer to the
// console page that opened the window (same origin, through a BroadcastChannel, so nothing is stored), drop the
// code from the address bar, and close.
const answer = location.search;
history.replaceState(null, '', location.pathname);
const channel = new BroadcastChannel('twinbridge-login');
channel.postMessage(answer);
channel.close();
document.getElementById('message').textContent =
  'Signed in. This window closes by itself; if it does not, close it and return to the console.';
window.close();
