import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { ChonryApi } from '../../credentials/ChonryApi.credentials';
import { PolyvApi } from '../../credentials/PolyvApi.credentials';
import { Sms1ocApi } from '../../credentials/Sms1ocApi.credentials';
import { VeesingApi } from '../../credentials/VeesingApi.credentials';
import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';

const request = (extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({ method: 'POST', url: 'http://127.0.0.1/x', ...extra });

type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
const authenticateOf = (credential: ICredentialType) => credential.authenticate as unknown as Authenticate;

describe('credentials authenticate with a function', () => {
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

	it.each<[string, ICredentialType, ICredentialDataDecryptedObject, Record<string, string>]>([
		['zhuanxinyunApi', new ZhuanxinyunApi(), { appKey: 'k1', appSecret: 's1', baseUrl: 'u' }, { appKey: 'k1', appSecret: 's1' }],
		['chonryApi', new ChonryApi(), { accessKey: 'k2', secret: 's2', baseUrl: 'u', intlBaseUrl: 'v' }, { accesskey: 'k2', secret: 's2' }],
		['veesingApi', new VeesingApi(), { appId: 'i3', appKey: 'k3', baseUrl: 'u' }, { appId: 'i3', appKey: 'k3' }],
	])('%s adds its keys to the form body, keeping the fields already there', async (_, credential, data, added) => {
		const options = await authenticateOf(credential)(data, request({ body: { phones: '13800138000' } }));
		expect(options.body).toEqual({ phones: '13800138000', ...added });
		expect(options.url).toBe('http://127.0.0.1/x');
		expect(options.qs).toBeUndefined();
	});

	it('starts a body of its own for a request without one, with an empty text for a missing value', async () => {
		const options = await authenticateOf(new ZhuanxinyunApi())({ appKey: 'k1' }, request());
		expect(options.body).toEqual({ appKey: 'k1', appSecret: '' });
	});

	it('sms1ocApi puts the raw secret in the Authorization header, keeping the other headers', async () => {
		const options = await authenticateOf(new Sms1ocApi())({ appSecret: 'secret-1', baseUrl: 'u' }, request({ headers: { Accept: 'text/plain' } }));
		expect(options.headers).toEqual({ Accept: 'text/plain', Authorization: 'secret-1' });
		expect(options.body).toBeUndefined();
	});
});
