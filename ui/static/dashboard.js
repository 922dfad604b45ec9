// Spark Control dashboard: the only hand-written script. It shows the "reconnecting" notice while
// the live status stream is down, so a frozen page never passes for a live one. htmx-ext-sse
// does the reconnecting itself; this only reflects it on screen.
;(function () {
  'use strict'
  function setPaused(paused) {
    var notice = document.getElementById('connection')
    if (notice) notice.hidden = !paused
    document.documentElement.setAttribute('data-live', paused ? 'paused' : 'on')
  }
  document.addEventListener('htmx:sseError', function () {
    setPaused(true)
  })
  document.addEventListener('htmx:sseOpen', function () {
    setPaused(false)
  })
  document.addEventListener('htmx:sseMessage', function () {
    setPaused(false)
  })
})()
