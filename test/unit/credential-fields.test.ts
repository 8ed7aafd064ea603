import type { ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { ChonryApi } from '../../credentials/ChonryApi.credentials';
import { PolyvApi } from '../../credentials/PolyvApi.credentials';
import { Sms1ocApi } from '../../credentials/Sms1ocApi.credentials';
import { VeesingApi } from '../../credentials/VeesingApi.credentials';
import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';
import { credentialFields } from '../../nodes/shared/auth';

const request = (extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({ method: 'POST', url: 'http://127.0.0.1/x', ...extra });

describe('credentialFields', () => {
	it('adds the credential fields to the form body, keeping the fields already there', async () => {
		const authenticate = credentialFields('body', { appKey: 'appKey', appSecret: 'appSecret' });
		const options = await (authenticate as Function)({ appKey: 'k', appSecret: 's', baseUrl: 'u' }, request({ body: { phones: '13800138000' } }));
		expect(options.body).toEqual({ phones: '13800138000', appKey: 'k', appSecret: 's' });
		expect(options.url).toBe('http://127.0.0.1/x');
	});

	it('renames fields, writes headers, and gives an empty text for a missing value, as n8n does', async () => {
		const authenticate = credentialFields('headers', { Authorization: 'appSecret', 'X-Id': 'appId' });
		const options = await (authenticate as Function)({ appSecret: 'secret-1' }, request({ headers: { Accept: 'text/plain' } }));
		expect(options.headers).toEqual({ Accept: 'text/plain', Authorization: 'secret-1', 'X-Id': '' });
	});

	it('starts a body of its own when the request has none', async () => {
		const options = await (credentialFields('body', { appId: 'appId' }) as Function)({ appId: 42 }, request({ body: '' }));
		expect(options.body).toEqual({ appId: '42' });
	});
});

describe('every credential authenticates with a function', () => {
	// A generic `={{$credentials.x}}` map is evaluated by n8n's expression sandbox on every vendor call
	// (1 to 2 ms a call in n8n 2.41.1); a function costs nothing.
	it.each<[string, ICredentialType]>([
		['zhuanxinyunApi', new ZhuanxinyunApi()],
		['chonryApi', new ChonryApi()],
		['veesingApi', new VeesingApi()],
		['sms1ocApi', new Sms1ocApi()],
		['polyvApi', new PolyvApi()],
	])('%s', (_, credential) => {
		expect(typeof credential.authenticate).toBe('function');
	});
});
