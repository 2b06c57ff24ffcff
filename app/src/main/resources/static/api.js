// How both pages call the JSON API (docs/api.md): a problem document becomes an Error carrying its
// code, its detail and the whole problem; an answer that is not JSON (a proxy's error page) is
// described by its status.
'use strict';

async function callApi(method, path, { token, body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (notJson) {
    data = null;
  }
  if (!response.ok) {
    const error = new Error((data && data.detail) || response.status + ' ' + response.statusText);
    error.status = response.status;
    error.code = data && data.code;
    error.problem = data || {};
    throw error;
  }
  return data;
}

/** "CODE: detail", as both pages show a refusal. */
function describeProblem(error) {
  return (error.code ? error.code + ': ' : '') + error.message;
}
