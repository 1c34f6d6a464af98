using System.Net;
using System.Text.Json;
using MimeKit;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Mail;

/// <summary>
/// Mail as people receive it: through the API, the worker under the dev host and its <c>SendMail</c>
/// function, to a real SMTP server (<see cref="SmtpSink"/>) that requires the configured login. Every
/// test has a workspace of its own and looks only at mail to its own addresses.
/// </summary>
public sealed class MailTests(MailApp app) : IClassFixture<MailApp>
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_invitation_arrives_in_the_workspace_language_and_its_link_is_accepted_by_the_api()
    {
        var (workspace, admin) = await WorkspaceAsync("de");
        var invitee = Address("marlene.hoffmann");

        var invited = await DataAsync(await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, name = "Marlene Hoffmann", role = "editor" })), HttpStatusCode.Created);
        var mail = await app.Smtp.WaitForAsync(m => To(m, invitee), Arrival);

        Assert.Equal([invitee], mail.Recipients);
        Assert.Equal(MailApp.UserName, mail.UserName);
        Assert.Equal("notifications@trackelio.test", mail.Sender);
        Assert.Contains("hat Sie zu", mail.Subject);
        Assert.Contains(_workspaceName, mail.Subject);
        var text = mail.Message.TextBody;
        var html = mail.Message.HtmlBody;
        Assert.Contains("Hallo Marlene Hoffmann,", text);
        Assert.Contains("als Bearbeiter", text);
        Assert.Contains("<html lang=\"de\">", html);
        Assert.Null(mail.Message.Headers[HeaderId.ListUnsubscribe]); // an invitation is no notification

        // The link carries the token; the API takes it once.
        var token = TokenFrom(text!);
        Assert.Equal(invited.GetProperty("invitation_token").GetString(), token);
        Assert.Contains($"{MailApp.AppUrl}/invitation#token=", html);
        var client = app.CreateClient();
        var accepted = await client.PostAsync("/v1/invitations/accept", Json.Body(new { invitation_token = token }));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);

        var users = await DataAsync(await admin.GetAsync("/v1/users"), HttpStatusCode.OK);
        var member = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == invitee);
        Assert.Equal("active", member.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_team_sees_an_invitation_mail_go_from_queued_to_sent_and_its_message_id_is_the_mail_id()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var invitee = Address("sent-status");
        var invited = await DataAsync(await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, role = "viewer" })), HttpStatusCode.Created);
        Assert.Contains(invited.GetProperty("email_status").GetString(), new[] { "queued", "sent" });
        Assert.Equal(JsonValueKind.Null, invited.GetProperty("email_sent_at").ValueKind);

        var mail = await app.Smtp.WaitForAsync(m => To(m, invitee), Arrival);
        var listed = await WaitForUserAsync(admin, invitee, u => u.GetProperty("email_status").GetString() == "sent");

        Assert.True(listed.GetProperty("email_sent_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Matches("^mail_[0-9a-z]{26}@trackelio.test$", mail.Message.MessageId);
        Assert.Contains("invited you to", mail.Subject);
        Assert.Equal(2, mail.Message.BodyParts.OfType<TextPart>().Count()); // text and HTML
    }

    [Fact]
    public async Task While_the_relay_refuses_mail_it_is_retried_and_arrives_once_with_the_same_message_id()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var invitee = Address("relay-down");
        app.Smtp.FailTransiently = true;
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, role = "editor" }))).StatusCode);
            await WaitUntilAsync(() => app.Smtp.Refused.Count(m => To(m, invitee)) >= 2, "two refused attempts");
            var pending = await WaitForUserAsync(admin, invitee, _ => true);
            Assert.Equal("queued", pending.GetProperty("email_status").GetString());
        }
        finally
        {
            app.Smtp.FailTransiently = false;
        }

        var mail = await app.Smtp.WaitForAsync(m => To(m, invitee), Arrival);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, invitee), TimeSpan.FromSeconds(2));
        Assert.All(app.Smtp.Refused.Where(m => To(m, invitee)), refused => Assert.Equal(mail.Message.MessageId, refused.Message.MessageId));
        await WaitForUserAsync(admin, invitee, u => u.GetProperty("email_status").GetString() == "sent");
    }

    [Fact]
    public async Task A_relay_that_is_not_listening_delays_mail_and_loses_none()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var invitee = Address("relay-offline");
        await app.Smtp.StopListeningAsync();
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, role = "editor" }))).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2)); // several attempts find nobody listening
        }
        finally
        {
            await app.Smtp.ResumeListeningAsync();
        }
        await app.Smtp.WaitForAsync(m => To(m, invitee), Arrival);
        await WaitForUserAsync(admin, invitee, u => u.GetProperty("email_status").GetString() == "sent");
    }

    [Fact]
    public async Task A_mail_still_waiting_for_the_relay_is_not_sent_once_its_recipient_is_gone()
    {
        var (workspace, admin) = await WorkspaceAsync("en");
        var invitee = Address("removed");
        app.Smtp.FailTransiently = true;
        try
        {
            var invited = await DataAsync(await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, role = "editor" })), HttpStatusCode.Created);
            await WaitUntilAsync(() => app.Smtp.Refused.Any(m => m.Recipients.Contains(invitee)), "a refused attempt");
            var removed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{invited.GetProperty("id").GetString()}").WithHeader("X-Confirm", "true"));
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            // The next attempt reads the member first and finds them gone (one under way meanwhile is still refused).
            var mails = app.Get<Trackelio.Functions.Storage.StorageAccount>().GetTableClient(Trackelio.Functions.Storage.StorageNames.Tables.Mail);
            await WaitUntilAsync(() => mails.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == workspace.WorkspaceId)
                .Any(e => e.GetString("Status") == MailStatus.Cancelled), "the mail cancelled");
        }
        finally
        {
            app.Smtp.FailTransiently = false;
        }
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, invitee), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_mail_the_relay_refuses_for_good_is_failed_at_once_and_the_team_sees_it()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var invitee = Address("refused");
        app.Smtp.FailPermanently = true;
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, role = "editor" }))).StatusCode);
            await WaitForUserAsync(admin, invitee, u => u.GetProperty("email_status").GetString() == "failed");
        }
        finally
        {
            app.Smtp.FailPermanently = false;
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(app.Smtp.Refused, m => To(m, invitee));
        Assert.DoesNotContain(app.Smtp.Messages, m => To(m, invitee));
    }

    [Fact]
    public async Task Resending_an_invitation_voids_the_old_token_mails_a_new_one_and_is_rate_limited()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var invitee = Address("resend");
        var invited = await DataAsync(await admin.PostAsync("/v1/users", Json.Body(new { email = invitee, role = "editor" })), HttpStatusCode.Created);
        var id = invited.GetProperty("id").GetString();
        var first = await app.Smtp.WaitForAsync(m => To(m, invitee), Arrival);

        await (await admin.PostAsync($"/v1/users/{id}/resend-invitation", null)).AssertErrorAsync(429, "resent_too_soon");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var resent = await DataAsync(await admin.PostAsync($"/v1/users/{id}/resend-invitation", null), HttpStatusCode.OK);
        var second = await app.Smtp.WaitForAsync(m => To(m, invitee) && m.Message.MessageId != first.Message.MessageId, Arrival);

        var oldToken = TokenFrom(first.Message.TextBody!);
        var newToken = TokenFrom(second.Message.TextBody!);
        Assert.Equal(resent.GetProperty("invitation_token").GetString(), newToken);
        Assert.NotEqual(oldToken, newToken);
        var client = app.CreateClient();
        await (await client.PostAsync("/v1/invitations/accept", Json.Body(new { invitation_token = oldToken }))).AssertErrorAsync(401, "invalid_invitation_token");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/invitations/accept", Json.Body(new { invitation_token = newToken }))).StatusCode);
        await (await admin.PostAsync($"/v1/users/{id}/resend-invitation", null)).AssertErrorAsync(409, "invitation_already_accepted");
    }

    [Fact]
    public async Task Invitations_per_workspace_and_hour_are_limited_and_a_refused_or_failed_request_mails_nobody()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var prefix = "limit-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < MailApp.InvitationsPerHour; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/users", Json.Body(new { email = $"{prefix}-{i}@example.com", role = "viewer" }))).StatusCode);
        }
        var refused = await admin.PostAsync("/v1/users", Json.Body(new { email = $"{prefix}-over@example.com", role = "viewer" }));
        await refused.AssertErrorAsync(429, "invitation_limit_reached");
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        // Removing an invitee gives nothing back: invite, remove, invite again is still refused.
        var users = await DataAsync(await admin.GetAsync("/v1/users"), HttpStatusCode.OK);
        var first = users.EnumerateArray().First(u => u.GetProperty("email").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{first}").WithHeader("X-Confirm", "true"))).StatusCode);
        await (await admin.PostAsync("/v1/users", Json.Body(new { email = $"{prefix}-again@example.com", role = "viewer" }))).AssertErrorAsync(429, "invitation_limit_reached");
        await (await admin.PostAsync("/v1/users", Json.Body(new { email = "\"\u0007x\"@example.com", role = "viewer" }))).AssertErrorAsync(400, "validation_failed");
        // Bad input and a duplicate: 4xx, and no mail.
        await (await admin.PostAsync("/v1/users", Json.Body(new { email = $"{prefix}-bad", role = "viewer" }))).AssertErrorAsync(400, "validation_failed");
        await (await admin.PostAsync("/v1/users", Json.Body(new { email = $"{prefix}-5@example.com", role = "viewer" }))).AssertErrorAsync(409, "member_exists");

        await app.Smtp.WaitForCountAsync(MailApp.InvitationsPerHour, Arrival, m => m.Recipients.Any(r => r.StartsWith(prefix, StringComparison.Ordinal)));
        await app.Smtp.AssertNothingArrivesAsync(m => m.Recipients.Any(r => r.StartsWith(prefix, StringComparison.Ordinal)), TimeSpan.FromSeconds(2));
        Assert.Equal(MailApp.InvitationsPerHour, app.Smtp.Messages.Count(m => m.Recipients.Any(r => r.StartsWith(prefix, StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Resuming_with_notify_mails_every_admin_and_the_owner_but_not_who_resumed_it()
    {
        var (workspace, owner) = await WorkspaceAsync("en");
        var (_, adminEmail, adminKey) = await JoinAsync(owner, "admin", "resume-admin");
        var (_, editorEmail, _) = await JoinAsync(owner, "editor", "resume-editor");
        var admin = app.CreateManagementClient(adminKey);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/widgets/{workspace.WidgetId}/pause", Json.Body(new { reason = "Maintenance" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/widgets/{workspace.WidgetId}/resume", Json.Body(new { notify = false }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/widgets/{workspace.WidgetId}/pause", Json.Body(new { reason = "Maintenance" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/widgets/{workspace.WidgetId}/resume", Json.Body(new { notify = true }))).StatusCode);

        var mail = await app.Smtp.WaitForAsync(m => To(m, workspace.OwnerEmail), Arrival);
        Assert.Contains("is collecting feedback again", mail.Subject);
        Assert.Contains($"{MailApp.AppUrl}/widgets/{workspace.WidgetId}", mail.Message.TextBody);
        Assert.NotNull(mail.Message.Headers[HeaderId.ListUnsubscribe]);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, adminEmail) || To(m, editorEmail)
            || (To(m, workspace.OwnerEmail) && m != mail), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task An_assignment_mails_the_assignee_who_unsubscribes_with_one_click_and_gets_no_more()
    {
        var (workspace, admin) = await WorkspaceAsync("en");
        var (editorId, editorEmail, _) = await JoinAsync(admin, "editor", "assignee");
        var first = await CreateFeedbackAsync(admin, "Checkout button is dead");
        var second = await CreateFeedbackAsync(admin, "Search is slow");

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/v1/feedback/{first}", Json.Body(new { assigned_to = editorId }))).StatusCode);
        var mail = await app.Smtp.WaitForAsync(m => To(m, editorEmail), Arrival);
        Assert.Equal("Assigned to you: Checkout button is dead", mail.Subject);
        Assert.Contains($"{MailApp.AppUrl}/feedback/{first}", mail.Message.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Message.Headers[HeaderId.ListUnsubscribePost]);
        var link = mail.Message.Headers[HeaderId.ListUnsubscribe]!.Trim('<', '>');
        Assert.StartsWith("https://api.trackelio.test/v1/mail/unsubscribe?token=", link);

        // The link against this app: GET only shows the page, POST (what a mail client sends) turns the preference off.
        var path = new Uri(link).PathAndQuery;
        var client = app.CreateClient();
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        Assert.True((await WaitForUserAsync(admin, editorEmail, _ => true)).GetProperty("notifications").GetProperty("assigned").GetBoolean());
        var done = await client.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.False((await WaitForUserAsync(admin, editorEmail, _ => true)).GetProperty("notifications").GetProperty("assigned").GetBoolean());
        await (await client.PostAsync(path.Replace("token=", "token=x", StringComparison.Ordinal), null)).AssertErrorAsync(400, "invalid_unsubscribe_token");

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/v1/feedback/{second}", Json.Body(new { assigned_to = editorId }))).StatusCode);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, editorEmail) && m != mail, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Assigning_to_yourself_mails_nobody()
    {
        var (_, admin) = await WorkspaceAsync("en");
        var (editorId, editorEmail, editorKey) = await JoinAsync(admin, "editor", "self-assign");
        var feedback = await CreateFeedbackAsync(admin, "Typo on the pricing page");
        var editor = app.CreateManagementClient(editorKey);

        Assert.Equal(HttpStatusCode.OK, (await editor.PatchAsync($"/v1/feedback/{feedback}", Json.Body(new { assigned_to = editorId }))).StatusCode);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, editorEmail), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_member_who_asks_for_instant_mail_gets_each_new_widget_feedback_and_others_get_none()
    {
        var (workspace, admin) = await WorkspaceAsync("en");
        var (editorId, editorEmail, editorKey) = await JoinAsync(admin, "editor", "instant");
        var (viewerId, viewerEmail, viewerKey) = await JoinAsync(admin, "viewer", "quiet");
        var editor = app.CreateManagementClient(editorKey);

        var changed = await DataAsync(await editor.PatchAsync($"/v1/users/{editorId}", Json.Body(new { notifications = new { new_feedback = "instant" } })), HttpStatusCode.OK);
        Assert.Equal("instant", changed.GetProperty("notifications").GetProperty("new_feedback").GetString());
        await (await editor.PatchAsync($"/v1/users/{viewerId}", Json.Body(new { notifications = new { new_feedback = "instant" } }))).AssertErrorAsync(403, "insufficient_role");
        await (await app.CreateManagementClient(viewerKey).PatchAsync($"/v1/users/{viewerId}", Json.Body(new { notifications = new { new_feedback = "instant" } })))
            .AssertErrorAsync(403, "insufficient_role");
        await (await editor.PatchAsync($"/v1/users/{editorId}", Json.Body(new { notifications = new { new_feedback = "hourly" } }))).AssertErrorAsync(400, "validation_failed");

        // The visitor's widget retries the submission (same Idempotency-Key): one record, one mail.
        var feedback = new
        {
            title = "Cart total is wrong",
            description = "The total ignores the voucher.",
            item_type = "bug",
            page = new { url = "https://shop.example.de/cart" },
        };
        var idempotencyKey = Guid.NewGuid().ToString();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var submitted = await app.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, feedback, idempotencyKey: idempotencyKey));
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        var mail = await app.Smtp.WaitForAsync(m => To(m, editorEmail), Arrival);
        Assert.Equal($"New feedback in {_workspaceName}: Cart total is wrong", mail.Subject);
        Assert.Contains("The total ignores the voucher.", mail.Message.TextBody);
        Assert.Contains("https://shop.example.de/cart", mail.Message.TextBody);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, viewerEmail) || To(m, workspace.OwnerEmail) || (To(m, editorEmail) && m != mail), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task The_daily_digest_lists_the_days_feedback_once_per_member_and_a_second_run_mails_nobody_again()
    {
        var (workspace, admin) = await WorkspaceAsync("de");
        var (editorId, editorEmail, editorKey) = await JoinAsync(admin, "editor", "digest");
        var editor = app.CreateManagementClient(editorKey);
        Assert.Equal(HttpStatusCode.OK, (await editor.PatchAsync($"/v1/users/{editorId}", Json.Body(new { notifications = new { new_feedback = "daily" } }))).StatusCode);
        await CreateFeedbackAsync(admin, "Erstes Feedback");
        await CreateFeedbackAsync(admin, "Zweites Feedback");

        // The timer fires every hour and works at the digest hour; the digest itself runs here on the same storage,
        // and the app's SendMail function sends what it queues.
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        Assert.True(await app.Get<NewFeedbackDigest>().RunAsync(until, CancellationToken.None) >= 1);
        await app.Get<NewFeedbackDigest>().RunAsync(until, CancellationToken.None);

        var mail = await app.Smtp.WaitForAsync(m => To(m, editorEmail), Arrival);
        Assert.StartsWith("2 neue Feedbacks in", mail.Subject);
        Assert.Contains("Erstes Feedback", mail.Message.TextBody);
        Assert.Contains("Zweites Feedback", mail.Message.TextBody);
        Assert.NotNull(mail.Message.Headers[HeaderId.ListUnsubscribe]);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, editorEmail) && m != mail, TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(app.Smtp.Messages, m => To(m, workspace.OwnerEmail) && m.Subject.Contains("neue Feedbacks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_and_texts_with_line_breaks_html_and_links_change_no_header_and_render_as_text()
    {
        var (workspace, admin) = await WorkspaceAsync("en");
        var hostile = "Evil\r\nBcc: attacker@evil.example\r\nSubject: pwned <script>alert(1)</script> <a href=\"https://evil.example\">click</a>";
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync("/v1/workspace", Json.Body(new { name = "Shop " + hostile }))).StatusCode);
        var (editorId, editorEmail, _) = await JoinAsync(admin, "editor", "hostile", displayName: "Eve " + hostile);
        var feedback = await CreateFeedbackAsync(admin, "Title " + hostile, body: "Body " + hostile + "\nhttps://evil.example/login");
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/v1/feedback/{feedback}", Json.Body(new { assigned_to = editorId }))).StatusCode);

        var mail = await app.Smtp.WaitForAsync(m => To(m, editorEmail) && m.Subject.StartsWith("Assigned", StringComparison.Ordinal), Arrival);
        Assert.Equal([editorEmail], mail.Recipients);
        Assert.DoesNotContain(mail.Message.Headers, h => h.Id == HeaderId.Bcc || h.Id == HeaderId.Cc);
        Assert.Single(mail.Message.Headers, h => h.Id == HeaderId.Subject);
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.Equal(editorEmail, mail.Message.To.Mailboxes.Single().Address);
        var raw = System.Text.Encoding.UTF8.GetString(mail.Raw);
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var headerLines = headers.Split("\r\n").Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).ToList();
        Assert.DoesNotContain(headerLines, l => l.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        Assert.Single(headerLines, l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase));
        var html = mail.Message.HtmlBody;
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("href=\"https://evil.example", html);
        Assert.All(System.Text.RegularExpressions.Regex.Matches(html!, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value),
            href => Assert.True(href.StartsWith(MailApp.AppUrl, StringComparison.Ordinal) || href.StartsWith("https://api.trackelio.test/", StringComparison.Ordinal), href));
    }

    [Fact]
    public async Task A_mail_recorded_with_a_change_but_never_published_is_sent_by_the_outbox_flush()
    {
        var (workspace, _) = await WorkspaceAsync("en");
        var now = DateTimeOffset.UtcNow;
        var invitee = Address("flush");
        var userId = Ids.New(Ids.User, now);
        var intent = MailIntent.Create(workspace.WorkspaceId, MailKind.Invitation, userId, now, MailAudience.Members,
            new MailContent.Invitation("Owner", workspace.OwnerEmail, "viewer", InvitationToken.New(workspace.WorkspaceId, userId), now.AddDays(7))) with { UserIds = [userId] };
        var member = new TeamMember
        {
            Id = userId, WorkspaceId = workspace.WorkspaceId, Email = invitee, Role = TeamRole.Viewer, CreatedAt = now, Status = "pending",
            Invitation = new MemberInvitation(workspace.OwnerUserId, now, MailPublisher.MailId(intent, userId), InvitationEmailStatus.Queued),
        };

        // The request's steps up to its write, as if it crashed right after: the flush message and the member with the mail.
        var outbox = app.Get<Trackelio.Functions.Webhooks.EventOutbox>();
        var entry = await outbox.OpenAsync(Trackelio.Functions.Storage.StorageNames.Tables.Members, workspace.WorkspaceId, CancellationToken.None);
        await app.Get<ITeamStore>().AddAsync(member, [outbox.Record(entry, [], [intent])]);

        var mail = await app.Smtp.WaitForAsync(m => To(m, invitee), Arrival);
        Assert.Contains("invited you to", mail.Subject);
        await app.Smtp.AssertNothingArrivesAsync(m => To(m, invitee) && m != mail, TimeSpan.FromSeconds(3));
    }

    private static string Address(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>A workspace whose mails are in <paramref name="language"/>, and its owner's client.</summary>
    private async Task<(BootstrapResult Workspace, HttpClient Owner)> WorkspaceAsync(string language)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var owner = app.CreateManagementClient(workspace.AdminKey);
        var changed = await DataAsync(await owner.PatchAsync("/v1/workspace", Json.Body(new { language })), HttpStatusCode.OK);
        Assert.Equal(language, changed.GetProperty("language").GetString());
        _workspaceName = changed.GetProperty("name").GetString()!;
        return (workspace, owner);
    }

    private string _workspaceName = "";

    /// <summary>Mail a test has dealt with (a member's invitation when they joined): later waits look past it.</summary>
    private readonly HashSet<ReceivedMail> _old = [];

    private bool To(ReceivedMail mail, string address) => !_old.Contains(mail) && mail.Recipients.Contains(address);

    /// <summary>A member who joined as people do: invited through the API, and accepted with the token from the mail (which later waits look past).</summary>
    private async Task<(string Id, string Email, string Key)> JoinAsync(HttpClient admin, string role, string name, string? displayName = null)
    {
        var email = Address(name);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/users", Json.Body(new { email, role, name = displayName }))).StatusCode);
        var invitation = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(email), Arrival);
        _old.Add(invitation);
        var accepted = await DataAsync(await app.CreateClient().PostAsync("/v1/invitations/accept",
            Json.Body(new { invitation_token = TokenFrom(invitation.Message.TextBody!) })), HttpStatusCode.Created);
        return (accepted.GetProperty("user").GetProperty("id").GetString()!, email, accepted.GetProperty("api_key").GetProperty("key").GetString()!);
    }

    private static async Task<string> CreateFeedbackAsync(HttpClient admin, string title, string? body = null)
    {
        var created = await DataAsync(await admin.PostAsync("/v1/feedback", Json.Body(new { title, body = body ?? title + " (details)", category = "bug" })), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitForUserAsync(HttpClient admin, string email, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + Arrival;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var users = await DataAsync(await admin.GetAsync("/v1/users"), HttpStatusCode.OK);
            last = users.EnumerateArray().SingleOrDefault(u => u.GetProperty("email").GetString() == email);
            if (last is { ValueKind: JsonValueKind.Object } user && condition(user))
            {
                return user;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{email} never reached the expected state; last seen: {last}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Arrival;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Not within {Arrival}: {what}");
            }
            await Task.Delay(50);
        }
    }

    private static string TokenFrom(string text) =>
        Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(text, "#token=([^\\s]+)").Groups[1].Value);
}
