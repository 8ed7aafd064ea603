import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { eventsProperty, rawBodyParameter, triggerSettings } from '../shared/descriptions';
import { ANSWER_MODE_EXPRESSION, receivePush } from '../shared/push';
import { parsePush } from './veesing.vendor';

/** What the vendor takes as success: the trigger's default answer, which the user may change. */
const SUCCESS_BODY = 'ok';

export class VeesingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veesing (10658) Trigger',
		name: 'veesingTrigger',
		icon: 'file:veesing.svg',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow when Veesing / 10658 (中昱维信) pushes delivery receipts or reply SMS',
		defaults: { name: 'Veesing Trigger' },
		inputs: [],
		outputs: ['main'],
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
					'Paste the Production URL above into the 10658 console as the push address for receipts and replies (回执/回复推送地址): both come to this one URL. Then activate this workflow. With a Secret Token set, append ?token=YOUR_TOKEN (your Secret Token) to the URL you paste.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty,
			triggerSettings(SUCCESS_BODY),
			rawBodyParameter,
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// The vendor's expected answer is undocumented: a plain `ok` with HTTP 200 (docs/vendors/veesing.md#push-answer).
		return await receivePush(this, {
			successBody: SUCCESS_BODY,
			parse: parsePush,
		});
	}
}
