/**
 * The simulator's routing over the vendors that share `/`: 1oc's site root (`/` with no `module`) is a
 * catch-all, and Alibaba and Tencent Cloud name their calls in a header. Whatever order the vendor
 * modules are in, a call naming its action goes to its vendor and a bare `/` to 1oc.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const { routeOf } = require('../simulator/routing');
const sms1oc = require('../simulator/vendors/sms1oc');
const aliyun = require('../simulator/vendors/aliyun');
const tencent = require('../simulator/vendors/tencentCloudSms');
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = new URL('http://127.0.0.1/');
const orders = [
	['1oc first', [sms1oc, aliyun, tencent]],
	['1oc last', [aliyun, tencent, sms1oc]],
] as const;

describe.each(orders)('routing on / with %s', (_name, vendors) => {
	const claim = (url: URL, headers: Record<string, string> = {}) => {
		const routed = routeOf(vendors, url, headers);
		return routed && { vendor: routed.vendor.name, operation: routed.route.operation };
	};

	it("a call naming its action in x-acs-action is Alibaba Cloud's", () => {
		expect(claim(ROOT, { 'x-acs-action': 'SendSms' })).toEqual({ vendor: 'aliyunSms', operation: 'sendSms' });
	});

	it("a call naming its action in x-tc-action is Tencent Cloud's", () => {
		expect(claim(ROOT, { 'x-tc-action': 'SendSms' })).toEqual({ vendor: 'tencentCloudSms', operation: 'send' });
	});

	it("the bare root is 1oc's site, and 1oc's send is 1oc's", () => {
		expect(claim(ROOT)).toEqual({ vendor: 'sms1oc', operation: 'home' });
		expect(claim(new URL('http://127.0.0.1/?module=sms&file=send&action=send'))).toEqual({ vendor: 'sms1oc', operation: 'send' });
	});
});
