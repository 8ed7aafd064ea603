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
import { ADAPTER } from './veesing.vendor';

/** What the vendor takes as success: the trigger's default answer, which the user may change. */
const SUCCESS_BODY = 'ok';

export class VeesingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veesing (10658) Trigger',
		name: 'veesingTrigger',
		icon: { light: 'file:veesing.svg', dark: 'file:veesing.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Veesing / 10658 (中昱维信) pushes delivery receipts or reply SMS',
		defaults: { name: 'Veesing Trigger' },
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
					'Paste the Production URL above into the 10658 console as the push address for receipts and replies (回执/回复推送地址): both come to this one URL. Then publish this workflow. With a Secret Token set, append ?token=YOUR_TOKEN (your Secret Token) to the URL you paste.',
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
		// The vendor's expected answer is undocumented: a plain `ok` with HTTP 200 (docs/vendors/veesing.md#push-answer).
		return await receivePushThrough(this, ADAPTER, {
			successBody: SUCCESS_BODY,
		});
	}
}
