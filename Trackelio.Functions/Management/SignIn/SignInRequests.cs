using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Management.SignIn;

/// <summary><c>POST /v1/auth/sign-in</c>: the address to mail a sign-in link to.</summary>
public sealed record SignInRequest : IJsonRequest<SignInRequest>
{
    public static long MaxBytes => 4 * 1024;

    public required string Email { get; init; }

    public static ValueTask<SignInRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var email = fields.Email(body, "email", "email", required: true);
        return ValueTask.FromResult(email is null ? null : new SignInRequest { Email = email });
    }
}

/// <summary><c>POST /v1/auth/sessions</c> and <c>POST /v1/auth/sign-in-links/check</c>: the token from the mailed link.</summary>
public sealed record CreateSessionRequest : IJsonRequest<CreateSessionRequest>
{
    public static long MaxBytes => 4 * 1024;

    public required string SignInToken { get; init; }

    public static ValueTask<CreateSessionRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var token = fields.String(body, "sign_in_token", "sign_in_token", 200, required: true);
        return ValueTask.FromResult(token is null ? null : new CreateSessionRequest { SignInToken = token });
    }
}

/// <summary>The queue message of a sign-in request: the address, and the request's id (a retried message mails no second link).</summary>
public sealed record SignInMessage(string Email, string RequestId);
