import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

export class Sms1ocApi implements ICredentialType {
	name = 'sms1ocApi';

	displayName = '1oc SMS API';

	icon: Icon = { light: 'file:../nodes/Sms1oc/sms1oc.svg', dark: 'file:../nodes/Sms1oc/sms1oc.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#credential-1oc-sms-api-sms1ocapi';

	properties: INodeProperties[] = [
		{
			displayName:
				"1oc has no balance or account call, so the Test button cannot check the App Secret without sending an SMS: it only checks that n8n reaches the Base URL over HTTPS with a valid certificate. A wrong App Secret shows at the first send, as 1oc error 400 (校验失败). If the test fails with a certificate error, turn on Ignore SSL Issues in the node's options (1oc's own samples switch certificate checks off).",
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The AppSecret that 1oc staff give you after signing the contract',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://sms.1oc.cn',
			description: 'Change only to go through a proxy',
		},
	];

	// The document's only way: the raw secret as the Authorization header, no scheme (no "Bearer").
	// A function, not n8n's generic `={{$credentials.x}}` map: n8n 2.41.1 evaluates a generic map's expressions in
	// its sandbox on every vendor call, 1 to 2 ms a call (README, "Where a call's time goes").
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: {
			...(requestOptions.headers as object | undefined),
			Authorization: credentials.appSecret ? String(credentials.appSecret) : '',
		},
	});

	// No 1oc call checks the secret without texting someone. A GET of the API's own address without
	// the send parameters sends nothing, and still proves the Base URL, the network path and TLS.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/',
			method: 'GET',
		},
	};
}
