namespace Trackelio.Functions.Attachments;

/// <summary>Attachments: screenshots and recordings in blob storage.</summary>
public static class AttachmentsModule
{
    public static IServiceCollection AddAttachments(this IServiceCollection services) =>
        services.AddSingleton<IAttachmentStore, BlobAttachmentStore>();
}
