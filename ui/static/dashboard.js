// Spark Control dashboard: the only hand-written script.
// 1. It shows the "reconnecting" notice while the live status stream is down, so a frozen page
//    never passes for a live one (htmx-ext-sse does the reconnecting itself).
// 2. It says why an action was refused or failed: htmx swaps only 2xx answers, so a 401 (controls
//    locked), a 403 (key without the admin scope) or a dead gateway would otherwise do nothing.
;(() => {
  function setPaused(paused) {
    var notice = document.getElementById('connection')
    if (notice) notice.hidden = !paused
    document.documentElement.setAttribute('data-live', paused ? 'paused' : 'on')
  }
  document.addEventListener('htmx:sseError', () => {
    setPaused(true)
  })
  document.addEventListener('htmx:sseOpen', () => {
    setPaused(false)
  })
  document.addEventListener('htmx:sseMessage', () => {
    setPaused(false)
  })

  // 3. Every htmx request carries the page's CSRF token (forms also carry it as a hidden field).
  document.addEventListener('htmx:configRequest', (evt) => {
    var meta = document.querySelector('meta[name="csrf-token"]')
    if (meta) evt.detail.headers['X-CSRF-Token'] = meta.getAttribute('content')
  })

  // 4. A "Copy" button beside a value shown once (a new API key): hidden without JavaScript,
  //    where the value stays selectable in its field.
  document.addEventListener('click', (evt) => {
    var button = evt.target.closest?.('button[data-copy]')
    if (!button) return
    var field = document.getElementById(button.getAttribute('data-copy'))
    if (!field || !navigator.clipboard) return
    navigator.clipboard.writeText(field.value).then(() => {
      button.textContent = 'Copied'
    })
  })
  function revealCopyButtons() {
    // The wrapper carries `hidden` (a button's own would lose to the stylesheet's display).
    document.querySelectorAll('[data-copy-wrap][hidden]').forEach((b) => {
      b.hidden = false
    })
  }
  document.addEventListener('DOMContentLoaded', revealCopyButtons)
  document.addEventListener('htmx:afterSwap', revealCopyButtons)

  function showError(text) {
    var box = document.getElementById('action-error')
    if (!box) return
    box.textContent = text
    box.hidden = !text
  }
  // The message our error bodies carry: problem+json `detail`, `{"detail"}`, or the OpenAI envelope.
  function messageOf(xhr) {
    var body = null
    try {
      body = JSON.parse(xhr.responseText)
    } catch {
      // not JSON: fall through
    }
    var m = (body && (body.detail || body.error?.message || body.title)) || ''
    if (typeof m === 'string' && m) return m
    return `The server answered ${xhr.status}.`
  }
  var ASKED_BY_PERSON = /^(post|delete|put|patch)$/i
  document.addEventListener('htmx:responseError', (evt) => {
    var d = evt.detail
    // Refreshes that fail are retried by their own timers; only a person's action gets a message.
    if (!ASKED_BY_PERSON.test(d.requestConfig?.verb)) return
    var hint =
      d.xhr.status === 401 || d.xhr.status === 403
        ? ' Unlock the controls with an admin API key (top of the page).'
        : ''
    showError(`Not done: ${messageOf(d.xhr)}${hint}`)
  })
  document.addEventListener('htmx:sendError', (evt) => {
    var d = evt.detail
    if (!ASKED_BY_PERSON.test(d.requestConfig?.verb)) return
    showError('Not done: the dashboard could not reach Spark Control. Check the connection and try again.')
  })
  document.addEventListener('htmx:afterRequest', (evt) => {
    var d = evt.detail
    if (d.successful && ASKED_BY_PERSON.test(d.requestConfig?.verb)) showError('')
  })
})()
