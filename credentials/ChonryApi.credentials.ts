import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialRules } from '../nodes/shared/adapter';
import { ERRORS } from '../nodes/Chonry/chonry.vendor';


export class ChonryApi implements ICredentialType {
	name = 'chonryApi';

	displayName = 'Chonry API';

	icon: Icon = { light: 'file:../nodes/Chonry/chonry.svg', dark: 'file:../nodes/Chonry/chonry.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#credential-chonry-api-chonryapi';

	properties: INodeProperties[] = [
		{
			displayName:
				'Test checks the Access Key and the Secret with the account call on the Base URL. It cannot check the International API Base URL: the vendor has no call there that sends nothing.',
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The developer key (accesskey, 开发key) shown in the Chonry console',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The developer secret (secret, 开发秘钥) shown next to it',
		},
		{
			displayName: 'International API Base URL',
			name: 'intlBaseUrl',
			type: 'string',
			default: 'https://intlapi.1cloudsp.com',
			description: 'Where international SMS are sent. Change only to go through a proxy.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.1cloudsp.com',
			description: 'Where the account (balance) is read. Change only to go through a proxy.',
		},
	];

	// The vendor takes its keys as form fields; putting them in the body keeps them out of URLs and logs.
	// A function, not n8n's generic `={{$credentials.x}}` map: n8n 2.41.1 evaluates a generic map's expressions in
	// its sandbox on every vendor call, 1 to 2 ms a call (README, "Where a call's time goes").
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		body: {
			...(requestOptions.body as object | undefined),
			accesskey: credentials.accessKey ? String(credentials.accessKey) : '',
			secret: credentials.secret ? String(credentials.secret) : '',
		},
	});

	// The account call sends nothing and proves the key, the secret and the IP whitelist at once.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/query/account',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		},
		// The codes that mean the key, the secret, the caller's IP or the account is not accepted (the
		// platform's codes as third-party callers list them; the vendor document lists none), as strings
		// as documented, and as numbers.
		rules: credentialRules('Chonry', 'code', ERRORS, { asNumber: true }),
	};
}
