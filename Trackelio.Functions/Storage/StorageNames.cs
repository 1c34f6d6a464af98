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

        public static readonly string[] All = [Workspaces, Members, ApiKeys, Widgets, ProjectKeys];
    }

    public static class Containers
    {
        public static readonly string[] All = [];
    }

    public static class Queues
    {
        public static readonly string[] All = [];
    }
}
