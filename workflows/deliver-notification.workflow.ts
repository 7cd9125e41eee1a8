import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { Notification } from '../src/domain/notification';

/**
 * Delivers one webhook notification on its own, so that a receiver that answers slowly or
 * never does not keep the provisioning run (and with it the tenant's workflow id) open. Its
 * parent starts it with ParentClosePolicy ABANDON and ends without waiting for it. A delivery
 * that fails for good is logged; it never fails anything else.
 */
export async function deliverNotification(notification: Notification): Promise<void> {
  const notifier = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1s', maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  try {
    await notifier.notify(notification);
  } catch (err) {
    log.warn('notification not delivered', { event: notification.event, error: String(err) });
  }
}

export const DELIVER_NOTIFICATION_WORKFLOW = 'deliverNotification';
