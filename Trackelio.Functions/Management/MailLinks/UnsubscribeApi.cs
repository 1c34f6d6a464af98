using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Api;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.MailLinks;

/// <summary>
/// <c>/v1/mail/unsubscribe?token=…</c>: the link in every notification mail's <c>List-Unsubscribe</c> header and
/// footer. <c>POST</c> turns that preference off: mail clients send it on their own (RFC 8058 one-click,
/// body <c>List-Unsubscribe=One-Click</c>), and the confirmation page's button sends it too. <c>GET</c> only
/// shows that page, since link scanners open links in mails. The token is the credential (signed, see
/// <see cref="UnsubscribeLinks"/>); a bad one is a 400 in the envelope. Unsubscribing twice, or a member who
/// has left, answers the same page: there is nothing left to send them.
/// </summary>
[Tags("Mail")]
[NoApiKey("the unsubscribe link")]
public static class UnsubscribeApi
{
    private const string Csp = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    [Function("ConfirmUnsubscribe")]
    [EndpointSummary("The page that confirms unsubscribing from a notification mail (changes nothing)")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ErrorResponses(400)]
    public static async Task<Results<ContentHttpResult, ApiError>> Confirm([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/mail/unsubscribe")] HttpRequest req,
        HttpContext http, UnsubscribeLinks links, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var token = req.Query["token"].ToString();
        if (links.Read(token) is not var (workspaceId, _, topic))
        {
            return InvalidToken();
        }
        var texts = UnsubscribeTexts.For((await workspaces.GetAsync(workspaceId, cancellationToken))?.Language);
        return Page(http, texts, texts.Confirm(topic),
            $"<form method=\"post\" action=\"?token={WebUtility.HtmlEncode(Uri.EscapeDataString(token))}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">{WebUtility.HtmlEncode(texts.Button)}</button></form>");
    }

    [Function("Unsubscribe")]
    [EndpointSummary("Turn off the notification mail a link names (RFC 8058 one-click)")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ErrorResponses(400, 503)]
    public static async Task<Results<ContentHttpResult, ApiError>> Unsubscribe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/mail/unsubscribe")] HttpRequest req,
        HttpContext http, UnsubscribeLinks links, ITeamStore team, IWorkspaceStore workspaces, MailPublisher mail, CancellationToken cancellationToken)
    {
        if (links.Read(req.Query["token"].ToString()) is not var (workspaceId, userId, topic))
        {
            return InvalidToken();
        }
        await team.UpdateAsync(workspaceId, userId, member => member with
        {
            Mail = topic switch
            {
                UnsubscribeTopic.NewFeedback => member.Mail with { NewFeedback = NewFeedbackMail.Off },
                UnsubscribeTopic.Assigned => member.Mail with { Assigned = false },
                _ => member.Mail with { WidgetResumed = false },
            },
        }, cancellationToken: cancellationToken);
        mail.Invalidate(workspaceId);
        var texts = UnsubscribeTexts.For((await workspaces.GetAsync(workspaceId, cancellationToken))?.Language);
        return Page(http, texts, texts.Done(topic), "");
    }

    private static ApiError InvalidToken() =>
        ApiError.BadRequest("invalid_unsubscribe_token", "The unsubscribe link is not valid; copy it whole from the mail.");

    private static ContentHttpResult Page(HttpContext http, UnsubscribeTexts texts, string message, string form)
    {
        http.Response.Headers.ContentSecurityPolicy = Csp;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(
            $"<!DOCTYPE html>\n<html lang=\"{texts.Language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
            + $"<title>{WebUtility.HtmlEncode(texts.Title)}</title><style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}</style></head>\n"
            + $"<body><h1>{WebUtility.HtmlEncode(texts.Title)}</h1><p>{WebUtility.HtmlEncode(message)}</p>{form}</body></html>\n",
            "text/html; charset=utf-8");
    }
}

/// <summary>The unsubscribe page's words, in the workspace's language.</summary>
internal sealed record UnsubscribeTexts(string Language, string Title, string Button, string NewFeedback, string Assigned, string Resumed, string DoneText)
{
    public static UnsubscribeTexts For(string? language) => language == "de"
        ? new("de", "E-Mails abbestellen", "Abbestellen", "E-Mails über neues Feedback", "E-Mails über Ihnen zugewiesenes Feedback",
            "E-Mails über wieder aktivierte Widgets", "Erledigt: Sie erhalten keine {0} mehr. Sie können sie in Ihren Einstellungen wieder einschalten.")
        : new("en", "Unsubscribe", "Unsubscribe", "mails about new feedback", "mails about feedback assigned to you",
            "mails about resumed widgets", "Done: you will get no more {0}. You can turn them on again in your settings.");

    public string Confirm(UnsubscribeTopic topic) => Language == "de"
        ? $"Keine {What(topic)} mehr erhalten?"
        : $"Stop getting {What(topic)}?";

    public string Done(UnsubscribeTopic topic) => string.Format(System.Globalization.CultureInfo.InvariantCulture, DoneText, What(topic));

    private string What(UnsubscribeTopic topic) => topic switch
    {
        UnsubscribeTopic.NewFeedback => NewFeedback,
        UnsubscribeTopic.Assigned => Assigned,
        _ => Resumed,
    };
}
