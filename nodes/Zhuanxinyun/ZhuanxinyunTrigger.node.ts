import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventsProperty, rawBodyParameter, triggerSettings, pastedWebhookMethods } from '../shared/descriptions';
import { receivePushThrough } from '../shared/operations';
import { ANSWER_MODE_EXPRESSION } from '../shared/push';
import { ADAPTER } from './zhuanxinyun.vendor';

/** What the vendor takes as success: the trigger's default answer, which the user may change. */
const SUCCESS_BODY = 'SUCCESS';

export class ZhuanxinyunTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zhuanxinyun Trigger',
		name: 'zhuanxinyunTrigger',
		icon: { light: 'file:zhuanxinyun.svg', dark: 'file:zhuanxinyun.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Zhuanxinyun (转信云) pushes delivery reports or reply SMS',
		defaults: { name: 'Zhuanxinyun Trigger' },
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
					'Paste the Production URL above into the Zhuanxinyun console as both the status report address (状态报告URL) and the reply address (上行/回复URL), then publish this workflow. With a Secret Token set, append ?token=YOUR_TOKEN (your Secret Token) to the URL you paste.',
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
		return await receivePushThrough(this, ADAPTER, {
			successBody: SUCCESS_BODY,
		});
	}
}
