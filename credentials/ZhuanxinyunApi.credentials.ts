import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** Error codes that mean the key, the secret or the caller's IP is not accepted (vendor doc table). */
const CREDENTIAL_ERRORS: Array<[string, string]> = [
	['100001', 'Zhuanxinyun error 100001: a parameter has a wrong format (参数格式错误). Check the App Key and App Secret.'],
	['100002', 'Zhuanxinyun error 100002: the account does not exist or is disabled (账户不存在或状态异常). Check the App Key.'],
	['100003', 'Zhuanxinyun error 100003: the App Secret is wrong (appSecret错误).'],
	['100004', "Zhuanxinyun error 100004: this n8n host's IP address is not on the account's whitelist (请求IP不在白名单内). Add it on the API settings page of the Zhuanxinyun console."],
	['999999', 'Zhuanxinyun error 999999: system error (系统错误). Try again later.'],
];

export class ZhuanxinyunApi implements ICredentialType {
	name = 'zhuanxinyunApi';

	displayName = 'Zhuanxinyun API';

	icon: Icon = 'file:../nodes/Zhuanxinyun/zhuanxinyun.svg';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-cn-sms';

	properties: INodeProperties[] = [
		{
			displayName:
				"Zhuanxinyun only answers calls from whitelisted IP addresses: add this n8n host's public IP on the API settings page of the Zhuanxinyun console (API设置), or every call fails with error 100004.",
			name: 'whitelistNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The public key (公钥) from the API settings page of the Zhuanxinyun console',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The private key (私钥) from the same page',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.zhuanxinyun.com',
			description: 'Change only to go through a proxy',
		},
	];

	// The vendor takes its keys as form fields; putting them in the body keeps them out of URLs and logs.
	// A function, not n8n's generic `={{$credentials.x}}` map: n8n 2.41.1 evaluates a generic map's expressions in
	// its sandbox on every vendor call, 1 to 2 ms a call (README, "Where a call's time goes").
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		body: {
			...(requestOptions.body as object | undefined),
			appKey: credentials.appKey ? String(credentials.appKey) : '',
			appSecret: credentials.appSecret ? String(credentials.appSecret) : '',
		},
	});

	// The balance call proves the key, the secret and the IP whitelist at once.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v2/querySmsCount.json',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		},
		rules: CREDENTIAL_ERRORS.map(([value, message]) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'errorCode', value, message },
		})),
	};
}
