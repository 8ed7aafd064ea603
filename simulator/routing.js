// @ts-check
'use strict';
// The simulator's routing: which vendor module a request is for, and its parameters as vendors read them.

const { firstValues } = require('./http');

/**
 * The first vendor module whose route() claims the request, with the operation it names. The headers
 * too: Alibaba Cloud names the operation of a call on `/` in its `x-acs-action` header.
 * @param {Iterable<import('./index').VendorModule>} vendors @param {URL} url
 * @param {import('node:http').IncomingHttpHeaders} [headers]
 */
function routeOf(vendors, url, headers = {}) {
	const query = firstValues(url.searchParams);
	for (const vendor of vendors) {
		const route = vendor.route(url.pathname, query, headers);
		if (route) return { vendor, route, query };
	}
	return undefined;
}

/**
 * A call's parameters, like a servlet's getParameter (one form-decoding, the query string's value
 * wins), and its body parsed when it says it is JSON.
 * @param {import('node:http').IncomingMessage} req @param {string} body @param {Record<string, string>} query
 */
function callParams(req, body, query) {
	const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] || '');
	const params = { ...(isForm ? firstValues(new URLSearchParams(body)) : {}), ...query };
	let json;
	if (/json/i.test(req.headers['content-type'] || '')) {
		try {
			json = JSON.parse(body);
		} catch {
			json = undefined;
		}
	}
	return { params, json };
}

module.exports = { routeOf, callParams };
