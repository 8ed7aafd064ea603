import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventsProperty, rawBodyParameter, triggerSettings, pastedWebhookMethods } from '../shared/descriptions';
import { receivePushThrough } from '../shared/operations';
import { ANSWER_MODE_EXPRESSION } from '../shared/push';
import { ADAPTER } from './tencentCloudSms.vendor';

/** What Tencent takes as success for both callbacks: a non-zero `result` is a failure. */
const SUCCESS_BODY = '{"result":0,"errmsg":"OK"}';

export class TencentCloudSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tencent Cloud SMS Trigger',
		name: 'tencentCloudSmsTrigger',
		icon: { light: 'file:tencentCloudSms.svg', dark: 'file:tencentCloudSms.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Tencent Cloud SMS (腾讯云, 腾讯云短信) calls back with status reports or reply SMS',
		defaults: { name: 'Tencent Cloud SMS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: ANSWER_MODE_EXPRESSION,
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Paste the Production URL above into the SMS console (应用管理 > 回调配置) as the status callback URL (短信状态回调) and the reply callback URL (短信回复回调): both can go to this one URL. Then publish this workflow. Tencent signs no callback: set a Secret Token and append ?token=YOUR_TOKEN to the URL you paste, and if you can, let only Tencent’s callback source IP addresses through to n8n (see the README).',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty,
			triggerSettings(SUCCESS_BODY),
			rawBodyParameter,
		],
	};

	webhookMethods = pastedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Status callbacks are a JSON array of up to 100 records, reply callbacks one object (docs/vendors/tencent-cloud.md#push-shapes).
		return await receivePushThrough(this, ADAPTER, { successBody: SUCCESS_BODY, successContentType: 'application/json' });
	}
}
