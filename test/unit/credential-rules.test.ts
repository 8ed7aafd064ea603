/**
 * Each credential's Test button says what the node's own error would say for the same answer: its
 * rules are built from the vendor's error table (nodes/shared/adapter.ts credentialRules), so the two
 * wordings cannot drift apart.
 */
import type { IAuthenticateRuleResponseSuccessBody } from 'n8n-workflow';

import { ChonryApi } from '../../credentials/ChonryApi.credentials';
import { VeesingApi } from '../../credentials/VeesingApi.credentials';
import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';
import * as chonry from '../../nodes/Chonry/chonry.vendor';
import * as veesing from '../../nodes/Veesing/veesing.vendor';
import * as zhuanxinyun from '../../nodes/Zhuanxinyun/zhuanxinyun.vendor';

const rulesOf = (credential: { test?: { rules?: unknown[] } }) => (credential.test?.rules ?? []) as IAuthenticateRuleResponseSuccessBody[];

describe('credential test rules come from the error tables', () => {
	it.each([
		['Zhuanxinyun', new ZhuanxinyunApi(), (value: string) => zhuanxinyun.findFailure({ statusCode: 200, body: { errorCode: value, errorMsg: zhuanxinyun.ERRORS[value].zh } })],
		['Chonry', new ChonryApi(), (value: string) => chonry.findFailure({ statusCode: 200, body: { code: value, msg: chonry.ERRORS[value].zh } })],
		['Veesing', new VeesingApi(), (value: string) => veesing.findFailure({ statusCode: 200, body: { returnStatus: '0', message: value } })],
	])('%s: every rule says what the node says for that answer, and its hint', (_vendor, credential, nodeFailure) => {
		const rules = rulesOf(credential).filter((rule) => rule.properties.key !== 'returnStatus');
		expect(rules.length).toBeGreaterThan(2);
		for (const rule of rules) {
			const failure = nodeFailure(String(rule.properties.value))!;
			expect(rule.properties.message).toBe([failure.english, failure.hint].filter(Boolean).join('. '));
		}
	});

	it('Zhuanxinyun: the wrong App Secret, the unknown account and the IP whitelist are among them', () => {
		expect(rulesOf(new ZhuanxinyunApi()).map((rule) => rule.properties.value)).toEqual(expect.arrayContaining(['100002', '100003', '100004']));
	});

	it('Chonry: codes match as strings and as numbers', () => {
		const values = rulesOf(new ChonryApi()).map((rule) => rule.properties.value);
		expect(values).toEqual(expect.arrayContaining(['9006', 9006, '9007', 9007]));
	});
});
