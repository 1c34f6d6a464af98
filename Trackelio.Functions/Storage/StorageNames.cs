namespace Trackelio.Functions.Storage;

/// <summary>
/// Every table, container and queue the app uses. Each feature adds its own here, and
/// <see cref="StorageInitializer"/> creates them all.
/// </summary>
public static class StorageNames
{
    public static class Tables
    {
        public const string Workspaces = "workspaces";
        public const string Members = "members";
        public const string ApiKeys = "apikeys";
        public const string Widgets = "widgets";
        public const string ProjectKeys = "projectkeys";
        public const string Idempotency = "idempotency";
        public const string Feedback = "feedback";
        public const string Counters = "counters";
        public const string Webhooks = "webhooks";
        public const string WebhookDeliveries = "webhookdeliveries";
        public const string Responses = "responses";
        public const string ResponseLimits = "responselimits";
        public const string Surveys = "surveys";
        public const string Announcements = "announcements";
        public const string Conversations = "conversations";

        /// <summary>Shared rate-limit counts per scope, key and one-minute window (swept once the window has ended).</summary>
        public const string RateLimits = "ratelimits";

        /// <summary>Outgoing mail: one row per message and recipient, its status and attempts (<c>Mail/</c>).</summary>
        public const string Mail = "mail";

        public static readonly string[] All =
            [Workspaces, Members, ApiKeys, Widgets, ProjectKeys, Idempotency, Feedback, Counters, Webhooks, WebhookDeliveries, Responses, ResponseLimits, Surveys, Announcements, Conversations, RateLimits, Mail];
    }

    public static class Containers
    {
        /// <summary>Screenshots and recordings, as <c>{workspace}/{att_id}</c>.</summary>
        public const string Attachments = "attachments";

        /// <summary>Submissions too large for a queue message (claim checks), until enriched.</summary>
        public const string Submissions = "submissions";

        /// <summary>A feedback record's captured logs, as <c>{workspace}/{fb_id}.json</c>.</summary>
        public const string FeedbackData = "feedbackdata";

        public static readonly string[] All = [Attachments, Submissions, FeedbackData];
    }

    public static class Queues
    {
        public const string Submissions = "submissions";
        public const string SubmissionsPoison = "submissions-poison";
        public const string Webhooks = "webhooks";
        public const string WebhooksPoison = "webhooks-poison";

        /// <summary>Deliveries that failed every attempt (dead letters), for inspection and replay.</summary>
        public const string WebhooksDead = "webhooks-dead";

        /// <summary>Delayed "flush" messages naming an event recorded with a write (<c>Webhooks/EventOutbox</c>).</summary>
        public const string WebhookOutbox = "webhook-outbox";
        public const string WebhookOutboxPoison = "webhook-outbox-poison";

        /// <summary>Mail to send, one message per outgoing mail (<c>Mail/MailSender</c>).</summary>
        public const string Mail = "mail";

        /// <summary>Mail the host gave up on, and mail whose relay kept failing until its retries ran out.</summary>
        public const string MailPoison = "mail-poison";

        /// <summary>Requests for a sign-in link (<c>Management/SignIn</c>): worked off the request, so known and unknown addresses answer alike.</summary>
        public const string SignIn = "signin";
        public const string SignInPoison = "signin-poison";

        /// <summary>The time-to-live of poison and dead letters: kept until someone looks (the service's -1).</summary>
        public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

        public static readonly string[] All = [Submissions, SubmissionsPoison, Webhooks, WebhooksPoison, WebhooksDead, WebhookOutbox, WebhookOutboxPoison, Mail, MailPoison, SignIn, SignInPoison];
    }
}
