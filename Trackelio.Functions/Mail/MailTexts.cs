namespace Trackelio.Functions.Mail;

/// <summary>
/// The words of every mail, per language (<c>en</c>, <c>de</c>). Placeholders are filled by
/// <see cref="MailComposer"/> with escaped values; nothing a visitor or member wrote is ever a format string.
/// </summary>
public sealed record MailTexts
{
    public required string Hello { get; init; }
    public required string HelloNamed { get; init; }
    public required string InvitationSubject { get; init; }
    public required string InvitationIntro { get; init; }
    public required string InvitationAction { get; init; }
    public required string InvitationExpiry { get; init; }
    public required string InvitationIgnore { get; init; }
    public required string SignInSubject { get; init; }
    public required string SignInIntro { get; init; }
    public required string SignInAction { get; init; }
    public required string SignInExpiry { get; init; }
    public required string SignInIgnore { get; init; }
    public required string ResumedSubject { get; init; }
    public required string ResumedIntro { get; init; }
    public required string ResumedAction { get; init; }
    public required string AssignedSubject { get; init; }
    public required string AssignedIntro { get; init; }
    public required string NewFeedbackSubject { get; init; }
    public required string NewFeedbackIntro { get; init; }
    public required string DigestSubject { get; init; }
    public required string DigestIntro { get; init; }
    public required string DigestMore { get; init; }
    public required string FeedbackAction { get; init; }
    public required string InboxAction { get; init; }
    public required string Untitled { get; init; }
    public required string Page { get; init; }
    public required string Type { get; init; }
    public required string UnsubscribeNewFeedback { get; init; }
    public required string UnsubscribeAssigned { get; init; }
    public required string UnsubscribeResumed { get; init; }
    public required string UnsubscribeAction { get; init; }
    public required IReadOnlyDictionary<string, string> Roles { get; init; }
    public required string DateFormat { get; init; }
    public required string DayFormat { get; init; }

    public static MailTexts For(string language) => language == "de" ? German : English;

    public static readonly MailTexts English = new()
    {
        Hello = "Hello,",
        HelloNamed = "Hello {0},",
        InvitationSubject = "{0} invited you to {1} on Trackelio",
        InvitationIntro = "{0} ({1}) invited you to join the team of {2} on Trackelio as {3}.",
        InvitationAction = "Accept the invitation",
        InvitationExpiry = "The invitation can be accepted until {0} (UTC), once.",
        InvitationIgnore = "If you did not expect this invitation, ignore this mail: nothing happens unless you accept it.",
        SignInSubject = "Your sign-in link for {0}",
        SignInIntro = "Someone, hopefully you, asked to sign in to the Trackelio dashboard of {0} with this address.",
        SignInAction = "Sign in",
        SignInExpiry = "The link works once, until {0} (UTC).",
        SignInIgnore = "If you did not ask for it, ignore this mail: nobody can sign in without the link.",
        ResumedSubject = "Widget {0} is collecting feedback again ({1})",
        ResumedIntro = "{0} resumed the widget {1} in {2}. Visitors can send feedback again.",
        ResumedAction = "Open the widget",
        AssignedSubject = "Assigned to you: {0}",
        AssignedIntro = "{0} assigned this feedback in {1} to you:",
        NewFeedbackSubject = "New feedback in {0}: {1}",
        NewFeedbackIntro = "New feedback arrived in {0}:",
        DigestSubject = "{0} new feedback in {1} ({2})",
        DigestIntro = "The feedback that arrived in {0} between {1} and {2} (UTC):",
        DigestMore = "… and {0} more.",
        FeedbackAction = "Open the feedback",
        InboxAction = "Open the inbox",
        Untitled = "(no title)",
        Page = "Page",
        Type = "Type",
        UnsubscribeNewFeedback = "You get this mail because you asked to be told about new feedback in {0}.",
        UnsubscribeAssigned = "You get this mail because feedback in {0} was assigned to you.",
        UnsubscribeResumed = "You get this mail as an admin of {0}.",
        UnsubscribeAction = "Unsubscribe from these mails",
        Roles = new Dictionary<string, string> { ["admin"] = "an admin", ["editor"] = "an editor", ["viewer"] = "a viewer" },
        DateFormat = "yyyy-MM-dd HH:mm",
        DayFormat = "yyyy-MM-dd",
    };

    public static readonly MailTexts German = new()
    {
        Hello = "Hallo,",
        HelloNamed = "Hallo {0},",
        InvitationSubject = "{0} hat Sie zu {1} auf Trackelio eingeladen",
        InvitationIntro = "{0} ({1}) hat Sie eingeladen, dem Team von {2} auf Trackelio als {3} beizutreten.",
        InvitationAction = "Einladung annehmen",
        InvitationExpiry = "Die Einladung kann bis {0} (UTC) einmal angenommen werden.",
        InvitationIgnore = "Falls Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail: Ohne Ihre Zustimmung geschieht nichts.",
        SignInSubject = "Ihr Anmeldelink für {0}",
        SignInIntro = "Jemand, hoffentlich Sie, möchte sich mit dieser Adresse im Trackelio-Dashboard von {0} anmelden.",
        SignInAction = "Anmelden",
        SignInExpiry = "Der Link funktioniert einmal, bis {0} (UTC).",
        SignInIgnore = "Falls Sie das nicht waren, ignorieren Sie diese E-Mail: Ohne den Link kann sich niemand anmelden.",
        ResumedSubject = "Widget {0} sammelt wieder Feedback ({1})",
        ResumedIntro = "{0} hat das Widget {1} in {2} wieder aktiviert. Besucher können wieder Feedback senden.",
        ResumedAction = "Widget öffnen",
        AssignedSubject = "Ihnen zugewiesen: {0}",
        AssignedIntro = "{0} hat Ihnen dieses Feedback in {1} zugewiesen:",
        NewFeedbackSubject = "Neues Feedback in {0}: {1}",
        NewFeedbackIntro = "Neues Feedback in {0}:",
        DigestSubject = "{0} neue Feedbacks in {1} ({2})",
        DigestIntro = "Das Feedback, das in {0} zwischen {1} und {2} (UTC) eingegangen ist:",
        DigestMore = "… und {0} weitere.",
        FeedbackAction = "Feedback öffnen",
        InboxAction = "Posteingang öffnen",
        Untitled = "(ohne Titel)",
        Page = "Seite",
        Type = "Art",
        UnsubscribeNewFeedback = "Sie erhalten diese E-Mail, weil Sie über neues Feedback in {0} informiert werden möchten.",
        UnsubscribeAssigned = "Sie erhalten diese E-Mail, weil Ihnen Feedback in {0} zugewiesen wurde.",
        UnsubscribeResumed = "Sie erhalten diese E-Mail als Admin von {0}.",
        UnsubscribeAction = "Diese E-Mails abbestellen",
        Roles = new Dictionary<string, string> { ["admin"] = "Admin", ["editor"] = "Bearbeiter", ["viewer"] = "Leser" },
        DateFormat = "dd.MM.yyyy HH:mm",
        DayFormat = "dd.MM.yyyy",
    };
}
