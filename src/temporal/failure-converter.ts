import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The engine's failure converter: a failure's message and stack trace travel as an encoded
 * payload (`encodeCommonAttributes`), so the payload codec seals them like every other payload
 * and the history holds no error text or worker paths in clear. The Web UI shows them through
 * the codec server. Client and worker load it by path (engineDataConverter): the workflow
 * sandbox can only take a converter from a module.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
