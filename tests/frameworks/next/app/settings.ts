// Where the forms send, read on the server at each request: the test's receiver (another
// origin) in CONSENT_FORM_ENDPOINT; a host would write its own.
export const endpoint = () => process.env.CONSENT_FORM_ENDPOINT ?? '/api/leads';
export const controller = 'Công ty TNHH Ví Dụ';
export const policyUrl = '/chinh-sach-bao-mat';
