using System.Text.Json;
using DeepRacer.Analysis.Formats;
using Spectre.Console;

namespace DrLog.Commands;

/// <summary><c>drlog info</c>: what a source holds and what the model is.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var command = new Command("info", "Folder type, files found, agent and network, hyperparameters, action space.");
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            await CommonOptions.ReportSkippedLinksAsync(context, log).ConfigureAwait(false);
            var info = await log.LoadInfoAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(common.Format) == OutputFormat.Json)
            {
                await WriteJsonAsync(context, log, info).ConfigureAwait(false);
            }
            else
            {
                WriteText(context, log, info);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteText(CliContext context, DeepRacerLog log, ModelInfo info)
    {
        var console = TableOutput.Console(context);
        console.MarkupLine($"[bold]Source[/]       {Markup.Escape(log.Source.Description)}");
        console.MarkupLine($"[bold]Folder type[/]  {Markup.Escape(FolderTypeName(log.FolderType))}");
        foreach (var line in log.Layout.Describe())
        {
            console.MarkupLine($"  - {Markup.Escape(line)}");
        }

        if (info.WorldName is { } world)
        {
            console.MarkupLine($"[bold]World[/]        {Markup.Escape(world)}");
        }

        foreach (var key in new[] { "JOB_TYPE", "RACE_TYPE", "MODEL_NAME", "NUMBER_OF_TRIALS" })
        {
            if (info.Job.TryGetValue(key, out var value))
            {
                console.MarkupLine($"[bold]{Markup.Escape(key.ToLowerInvariant())}[/]  {Markup.Escape(value)}");
            }
        }

        if (info.Agent is { } agent)
        {
            console.MarkupLine($"[bold]Agent[/]        sensors {Markup.Escape(string.Join(", ", agent.SensorList))}; network {Markup.Escape(agent.Network ?? "?")}; " +
                $"simapp {Markup.Escape(agent.SimappVersion ?? "?")}; algorithm {Markup.Escape(agent.TrainingAlgorithm ?? "?")}");
        }

        if (info.Hyperparameters is { } hp)
        {
            var table = new Spectre.Console.Table().Border(TableBorder.Rounded).Title("Hyperparameters");
            table.AddColumn("name");
            table.AddColumn(new TableColumn("value").RightAligned());
            foreach (var (name, value) in hp.Values)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString()));
            }

            console.Write(table);
        }

        if (info.ActionSpace is { } space)
        {
            if (space.IsContinuous)
            {
                console.MarkupLine($"[bold]Action space[/] {Markup.Escape(space.ToString())}");
            }
            else
            {
                var table = new Spectre.Console.Table().Border(TableBorder.Rounded).Title($"Action space ({space.Actions.Count} discrete actions)");
                table.AddColumn(new TableColumn("index").RightAligned());
                table.AddColumn(new TableColumn("steering_angle").RightAligned());
                table.AddColumn(new TableColumn("speed").RightAligned());
                foreach (var a in space.Actions)
                {
                    table.AddRow(
                        a.Index.ToString(CultureInfo.InvariantCulture),
                        a.SteeringAngle.ToString("0.##", CultureInfo.InvariantCulture),
                        a.Speed.ToString("0.##", CultureInfo.InvariantCulture));
                }

                console.Write(table);
            }
        }

        if (info.Sources.Count > 0)
        {
            console.MarkupLine($"[grey]from {Markup.Escape(string.Join(", ", info.Sources))}[/]");
        }
    }

    private static async Task WriteJsonAsync(CliContext context, DeepRacerLog log, ModelInfo info)
    {
        await JsonOutput.WriteAsync(context.Out, json =>
        {
            json.WriteStartObject();
            json.WriteString("source", log.Source.Description);
            json.WriteString("folder_type", log.FolderType.ToString());
            json.WritePropertyName("found");
            JsonSerializer.Serialize(json, log.Layout.Describe().ToArray(), CliJson.Default.StringArray);
            json.WriteString("world", info.WorldName);
            json.WritePropertyName("job");
            JsonSerializer.Serialize(json, info.Job, CliJson.Default.IReadOnlyDictionaryStringString);
            if (info.Agent is { } agent)
            {
                json.WritePropertyName("agent_and_network");
                json.WriteStartObject();
                json.WritePropertyName("sensor_list");
                JsonSerializer.Serialize(json, agent.SensorList, CliJson.Default.IReadOnlyListString);
                json.WriteString("network", agent.Network);
                json.WriteString("simapp_version", agent.SimappVersion);
                json.WriteString("training_algorithm", agent.TrainingAlgorithm);
                json.WriteString("action_space_type", agent.ActionSpaceType);
                json.WriteEndObject();
            }

            if (info.Hyperparameters is { } hp)
            {
                json.WritePropertyName("hyperparameters");
                json.WriteStartObject();
                foreach (var (name, value) in hp.Values)
                {
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                }

                json.WriteEndObject();
            }

            if (info.ActionSpace is { } space)
            {
                json.WritePropertyName("action_space");
                WriteActionSpace(json, space);
            }

            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void WriteActionSpace(Utf8JsonWriter json, ActionSpace space)
    {
        if (space.IsContinuous)
        {
            json.WriteStartObject();
            json.WriteStartObject("steering_angle");
            json.WriteNumber("low", space.SteeringAngle.Low);
            json.WriteNumber("high", space.SteeringAngle.High);
            json.WriteEndObject();
            json.WriteStartObject("speed");
            json.WriteNumber("low", space.Speed.Low);
            json.WriteNumber("high", space.Speed.High);
            json.WriteEndObject();
            json.WriteEndObject();
            return;
        }

        json.WriteStartArray();
        foreach (var a in space.Actions)
        {
            json.WriteStartObject();
            json.WriteNumber("steering_angle", a.SteeringAngle);
            json.WriteNumber("speed", a.Speed);
            json.WriteNumber("index", a.Index);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string FolderTypeName(FolderType type) => type switch
    {
        FolderType.ConsoleModelWithLogs => "CONSOLE_MODEL_WITH_LOGS (AWS DeepRacer console export)",
        FolderType.DrfcModelSingleWorkers => "DRFC_MODEL_SINGLE_WORKERS (DeepRacer-for-Cloud, one worker)",
        FolderType.DrfcModelMultipleWorkers => "DRFC_MODEL_MULTIPLE_WORKERS (DeepRacer-for-Cloud, several workers)",
        FolderType.DrfcModelUpload => "DRFC_MODEL_UPLOAD (DeepRacer-for-Cloud model without training traces)",
        FolderType.DroaSolutionLogs => "DROA_SOLUTION_LOGS (new console / DeepRacer on AWS export)",
        FolderType.SingleFile => "single file",
        _ => "UNKNOWN_FOLDER",
    };
}
