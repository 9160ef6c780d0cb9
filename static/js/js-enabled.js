// GOV.UK Frontend styles some components differently when JavaScript runs;
// this is the template's inline snippet, kept in a file so the CSP can
// forbid inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
