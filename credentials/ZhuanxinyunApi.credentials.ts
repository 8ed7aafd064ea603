import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialRules } from '../nodes/shared/adapter';
import { ERRORS } from '../nodes/Zhuanxinyun/zhuanxinyun.vendor';


export class ZhuanxinyunApi implements ICredentialType {
	name = 'zhuanxinyunApi';

	displayName = 'Zhuanxinyun API';

	icon: Icon = { light: 'file:../nodes/Zhuanxinyun/zhuanxinyun.svg', dark: 'file:../nodes/Zhuanxinyun/zhuanxinyun.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#zhuanxinyun';

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
			// The public key (公钥): it identifies the account, the App Secret proves it, so only that is masked.
			type: 'string',
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
		// The codes that mean the key, the secret or the caller's IP is not accepted, in the node's words.
		rules: credentialRules('Zhuanxinyun', 'errorCode', ERRORS),
	};
}
