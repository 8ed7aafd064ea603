import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { ADAPTERS } from '../helpers/vendors';


const request = (extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({ method: 'POST', url: 'http://127.0.0.1/x', ...extra });

type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
const credentialOf = (vendor: string) => ADAPTERS.find((adapter) => adapter.vendor === vendor)!.credentialType;
const authenticateOf = (credential: ICredentialType) => credential.authenticate as unknown as Authenticate;

describe('credentials authenticate with a function', () => {
	// A generic `={{$credentials.x}}` map is evaluated by n8n's expression sandbox on every vendor call
	// (1 to 2 ms a call in n8n 2.41.1); a function costs nothing.
	it.each(ADAPTERS.map((adapter): [string, ICredentialType] => [adapter.credential, new adapter.credentialType()]))('%s', (_, credential) => {
		expect(typeof credential.authenticate).toBe('function');
	});

	it.each(
		ADAPTERS.flatMap((adapter): Array<[string, ICredentialType, ICredentialDataDecryptedObject, Record<string, string>]> =>
			adapter.formKeys ? [[adapter.credential, new adapter.credentialType(), adapter.formKeys.data, adapter.formKeys.added]] : [],
		),
	)('%s adds its keys to the form body, keeping the fields already there', async (_, credential, data, added) => {
		const options = await authenticateOf(credential)(data, request({ body: { phones: '13800138000' } }));
		expect(options.body).toEqual({ phones: '13800138000', ...added });
		expect(options.url).toBe('http://127.0.0.1/x');
		expect(options.qs).toBeUndefined();
	});

	it('starts a body of its own for a request without one, with an empty text for a missing value', async () => {
		const options = await authenticateOf(new (credentialOf('zhuanxinyun'))())({ appKey: 'k1' }, request());
		expect(options.body).toEqual({ appKey: 'k1', appSecret: '' });
	});

	it('sms1ocApi puts the raw secret in the Authorization header, keeping the other headers', async () => {
		const options = await authenticateOf(new (credentialOf('sms1oc'))())({ appSecret: 'secret-1', baseUrl: 'u' }, request({ headers: { Accept: 'text/plain' } }));
		expect(options.headers).toEqual({ Accept: 'text/plain', Authorization: 'secret-1' });
		expect(options.body).toBeUndefined();
	});
});
