// Initialise GOV.UK Frontend and MoJ Frontend components (progressive
// enhancement only: every page works without this).
import { initAll as govukInitAll } from '/static/govuk/govuk-frontend.min.js'
import { initAll as mojInitAll } from '/static/moj/moj-frontend.min.js'

govukInitAll()
mojInitAll()

// Components are set up: browser tests wait for this before using them.
document.body.dataset.jsReady = 'true'
