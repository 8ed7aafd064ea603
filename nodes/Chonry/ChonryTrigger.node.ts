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
import { ADAPTER } from './chonry.vendor';

/** Every receiver of this platform's pushes found answers this, with HTTP 200 (docs/vendors/chonry.md#push-answer). */
const SUCCESS_BODY = '{"code":"0","msg":"SUCCESS"}';

export class ChonryTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chonry Trigger',
		name: 'chonryTrigger',
		icon: { light: 'file:chonry.svg', dark: 'file:chonry.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Chonry (创瑞云, 1cloudsp) pushes delivery reports or reply SMS',
		defaults: { name: 'Chonry Trigger' },
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
					'Give the Production URL above to Chonry as the address for delivery reports and for replies: set it in the Chonry console, or send it to your account manager (the vendor\'s page: "客户需向我司提交接收回执状态地址"). Then publish this workflow. With a Secret Token set, append ?token=YOUR_TOKEN (your Secret Token) to the URL you give. Chonry pushes one record at a time and gets {"code":"0","msg":"SUCCESS"} back at once.',
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
			successContentType: 'application/json; charset=utf-8',
		});
	}
}
