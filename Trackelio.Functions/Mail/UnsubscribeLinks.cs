using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Mail;

/// <summary>Which preference an unsubscribe link turns off.</summary>
public enum UnsubscribeTopic
{
    NewFeedback,
    Assigned,
    WidgetResumed,
}

/// <summary>
/// The one-click unsubscribe link a notification mail carries (<c>List-Unsubscribe</c>, RFC 8058):
/// <c>{ApiUrl}/v1/mail/unsubscribe?token=…</c>, where the token names the workspace, member and topic and
/// is signed (HMAC-SHA256 with <see cref="LinkSigningKey"/>'s key for this purpose). It does not
/// expire: a mail read months later still unsubscribes. It can do nothing but turn that one preference off.
/// </summary>
public sealed class UnsubscribeLinks(LinkSigningKey signingKey, IOptions<MailOptions> options)
{
    private readonly byte[] _key = signingKey.For("trackelio-mail-unsubscribe");

    public string Create(string workspaceId, string userId, UnsubscribeTopic topic) =>
        $"{options.Value.ApiBase}/v1/mail/unsubscribe?token={Token(workspaceId, userId, topic)}";

    public string Token(string workspaceId, string userId, UnsubscribeTopic topic)
    {
        var claim = $"{workspaceId}.{userId}.{(int)topic}";
        return claim + "." + Sign(claim);
    }

    /// <summary>What a token says, when it is well formed and its signature holds; null otherwise.</summary>
    public (string WorkspaceId, string UserId, UnsubscribeTopic Topic)? Read(string? token)
    {
        if (token is null || token.Length > 200)
        {
            return null;
        }
        var parts = token.Split('.');
        if (parts.Length != 4 || !Ids.IsValid(parts[0], Ids.Workspace) || !Ids.IsValid(parts[1], Ids.User)
            || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var topic)
            || !Enum.IsDefined((UnsubscribeTopic)topic))
        {
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Sign($"{parts[0]}.{parts[1]}.{parts[2]}"));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3]))
            ? (parts[0], parts[1], (UnsubscribeTopic)topic)
            : null;
    }

    private string Sign(string claim) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(claim)));
}
