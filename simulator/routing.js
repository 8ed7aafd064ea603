// @ts-check
'use strict';
// The simulator's routing: which vendor module a request is for, and its parameters as vendors read them.

const { firstValues } = require('./http');

/**
 * The vendor module whose route() claims the request, with the operation it names. Several vendors live
 * on `/` (1oc's site, and Alibaba and Tencent Cloud, which name the call in a header): a claim marked
 * `fallback` (a catch-all, such as 1oc's site root) yields to any other, whatever the order of the modules.
 * @param {Iterable<import('./index').VendorModule>} vendors @param {URL} url
 * @param {import('node:http').IncomingHttpHeaders} [headers]
 */
function routeOf(vendors, url, headers = {}) {
	const query = firstValues(url.searchParams);
	let fallback;
	for (const vendor of vendors) {
		const route = vendor.route(url.pathname, query, headers);
		if (!route) continue;
		if (!route.fallback) return { vendor, route, query };
		fallback ??= { vendor, route, query };
	}
	return fallback;
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
