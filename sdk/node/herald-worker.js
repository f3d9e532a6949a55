'use strict';
// Kafka workers for Herald's `kafka` annotator kind, on kafkajs (a Kafka client independent of librdkafka).
//
// Herald produces a request to the annotator's request topic once the document is ready for it (its dependencies
// are done), keyed by document id:
//   headers: herald-correlation, herald-reply-to (the result topic), herald-annotator (name@version)
//   value:   {"correlationId", "annotator": {"name", "version"}, "document": {...}, "dependencies": {name: {"version", "value"}}}
// A worker answers on the result topic with the same key and correlation id:
//   value:   {"correlationId", "value": ..., "spans": [...]}   or   {"correlationId", "error": "..."}
// Workers of one annotator share a consumer group, so each request is handled once (again, after a worker dies
// mid-request: Herald ignores the duplicate result).

process.env.KAFKAJS_NO_PARTITIONER_WARNING = process.env.KAFKAJS_NO_PARTITIONER_WARNING || '1';
const { Kafka, logLevel } = require('kafkajs');

function header(message, name) {
  const value = message.headers && message.headers[name];
  return value === undefined ? undefined : value.toString('utf8');
}

function answerOf(result) {
  if (result && typeof result === 'object' && Object.prototype.hasOwnProperty.call(result, 'value')) {
    return result.spans === undefined ? { value: result.value } : { value: result.value, spans: result.spans };
  }
  return { value: result === undefined ? null : result };
}

/**
 * Runs a worker until stop() is called.
 * @param {object} options
 * @param {string[]} options.brokers bootstrap servers, e.g. ['127.0.0.1:9092']
 * @param {string} options.requestTopic the annotator's request topic
 * @param {string} options.groupId the consumer group every worker of this annotator shares
 * @param {(document: object, dependencies: object, request: object, headers: object) => any} options.annotate returns a
 *   value, or {value, spans}; may be async; a throw becomes an error result, which Herald retries and then records.
 *   `headers` are the request's Kafka headers as strings: `traceparent` continues the document's trace.
 * @param {number} [options.concurrency] partitions handled at once
 * @param {number} [options.maxWaitMs] how long a fetch may wait for requests: a request's latency on brokers that answer
 *   fetches only at this deadline (librdkafka's mock broker does)
 * @returns {Promise<{stop: () => Promise<void>}>} once the worker has joined its group
 */
async function runWorker({ brokers, requestTopic, groupId, annotate, concurrency = 1, maxWaitMs = 100, clientId = 'herald-worker', level = logLevel.WARN }) {
  const kafka = new Kafka({ clientId, brokers, logLevel: level, retry: { retries: 10 } });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: maxWaitMs });
  await producer.connect();
  await consumer.connect();
  const joined = new Promise(resolve => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.subscribe({ topic: requestTopic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: concurrency,
    eachMessage: async ({ message }) => {
      let request;
      try {
        request = JSON.parse(message.value.toString('utf8'));
      } catch (e) {
        return; // not a request of Herald's: nobody waits for an answer
      }
      const correlationId = request.correlationId || header(message, 'herald-correlation');
      const replyTo = header(message, 'herald-reply-to') || 'herald.worker-results';
      const dependencies = {};
      for (const [name, result] of Object.entries(request.dependencies || {})) dependencies[name] = result;
      const headers = {};
      for (const [name, value] of Object.entries(message.headers || {})) headers[name] = value === undefined ? undefined : value.toString('utf8');
      let answer;
      try {
        answer = answerOf(await annotate(request.document, dependencies, request, headers));
      } catch (e) {
        answer = { error: e && e.message ? e.message : String(e) };
      }
      await producer.send({
        topic: replyTo,
        messages: [{
          key: message.key,
          value: JSON.stringify({ correlationId, ...answer }),
          headers: headers.traceparent ? { 'herald-correlation': correlationId, traceparent: headers.traceparent } : { 'herald-correlation': correlationId },
        }],
      });
    },
  });
  await joined;
  return {
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

module.exports = { runWorker, logLevel };
