/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
"use strict";

var $protobuf = require("protobufjs/minimal");
$protobuf.util.Long = undefined;
$protobuf.configure();

// Common aliases
var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
var $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

$root.parley = (function() {

    /**
     * Namespace parley.
     * @exports parley
     * @namespace
     */
    var parley = {};

    parley.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof parley
         * @namespace
         */
        var v1 = {};

        v1.Frame = (function() {

            /**
             * Properties of a Frame.
             * @memberof parley.v1
             * @interface IFrame
             * @property {parley.v1.IMsgRequest|null} [msgR] Frame msgR
             * @property {parley.v1.IMsgAccepted|null} [msgA] Frame msgA
             * @property {parley.v1.IMsgNotify|null} [msgN] Frame msgN
             * @property {parley.v1.IAckRequest|null} [ackR] Frame ackR
             * @property {parley.v1.IAckAccepted|null} [ackA] Frame ackA
             * @property {parley.v1.IAckNotify|null} [ackN] Frame ackN
             * @property {parley.v1.IOfflineRequest|null} [offlineR] Frame offlineR
             * @property {parley.v1.IOfflineAnswer|null} [offlineA] Frame offlineA
             * @property {parley.v1.IOfflineAckRequest|null} [offlineackR] Frame offlineackR
             * @property {parley.v1.IPing|null} [ping] Frame ping
             * @property {parley.v1.IPong|null} [pong] Frame pong
             * @property {parley.v1.IWelcome|null} [welcome] Frame welcome
             * @property {parley.v1.IError|null} [error] Frame error
             * @property {parley.v1.IGroupRequest|null} [groupR] Frame groupR
             * @property {parley.v1.IGroupAnswer|null} [groupA] Frame groupA
             * @property {parley.v1.ISyncRequest|null} [syncR] Frame syncR
             * @property {parley.v1.ISyncAnswer|null} [syncA] Frame syncA
             * @property {parley.v1.IConversationsRequest|null} [conversationsR] Frame conversationsR
             * @property {parley.v1.IConversationsAnswer|null} [conversationsA] Frame conversationsA
             * @property {parley.v1.IResync|null} [resyncN] Frame resyncN
             */

            /**
             * Constructs a new Frame.
             * @memberof parley.v1
             * @classdesc Represents a Frame.
             * @implements IFrame
             * @constructor
             * @param {parley.v1.IFrame=} [properties] Properties to set
             */
            function Frame(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Frame msgR.
             * @member {parley.v1.IMsgRequest|null|undefined} msgR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.msgR = null;

            /**
             * Frame msgA.
             * @member {parley.v1.IMsgAccepted|null|undefined} msgA
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.msgA = null;

            /**
             * Frame msgN.
             * @member {parley.v1.IMsgNotify|null|undefined} msgN
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.msgN = null;

            /**
             * Frame ackR.
             * @member {parley.v1.IAckRequest|null|undefined} ackR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.ackR = null;

            /**
             * Frame ackA.
             * @member {parley.v1.IAckAccepted|null|undefined} ackA
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.ackA = null;

            /**
             * Frame ackN.
             * @member {parley.v1.IAckNotify|null|undefined} ackN
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.ackN = null;

            /**
             * Frame offlineR.
             * @member {parley.v1.IOfflineRequest|null|undefined} offlineR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.offlineR = null;

            /**
             * Frame offlineA.
             * @member {parley.v1.IOfflineAnswer|null|undefined} offlineA
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.offlineA = null;

            /**
             * Frame offlineackR.
             * @member {parley.v1.IOfflineAckRequest|null|undefined} offlineackR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.offlineackR = null;

            /**
             * Frame ping.
             * @member {parley.v1.IPing|null|undefined} ping
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.ping = null;

            /**
             * Frame pong.
             * @member {parley.v1.IPong|null|undefined} pong
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.pong = null;

            /**
             * Frame welcome.
             * @member {parley.v1.IWelcome|null|undefined} welcome
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.welcome = null;

            /**
             * Frame error.
             * @member {parley.v1.IError|null|undefined} error
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.error = null;

            /**
             * Frame groupR.
             * @member {parley.v1.IGroupRequest|null|undefined} groupR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.groupR = null;

            /**
             * Frame groupA.
             * @member {parley.v1.IGroupAnswer|null|undefined} groupA
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.groupA = null;

            /**
             * Frame syncR.
             * @member {parley.v1.ISyncRequest|null|undefined} syncR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.syncR = null;

            /**
             * Frame syncA.
             * @member {parley.v1.ISyncAnswer|null|undefined} syncA
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.syncA = null;

            /**
             * Frame conversationsR.
             * @member {parley.v1.IConversationsRequest|null|undefined} conversationsR
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.conversationsR = null;

            /**
             * Frame conversationsA.
             * @member {parley.v1.IConversationsAnswer|null|undefined} conversationsA
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.conversationsA = null;

            /**
             * Frame resyncN.
             * @member {parley.v1.IResync|null|undefined} resyncN
             * @memberof parley.v1.Frame
             * @instance
             */
            Frame.prototype.resyncN = null;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * Frame packet.
             * @member {"msgR"|"msgA"|"msgN"|"ackR"|"ackA"|"ackN"|"offlineR"|"offlineA"|"offlineackR"|"ping"|"pong"|"welcome"|"error"|"groupR"|"groupA"|"syncR"|"syncA"|"conversationsR"|"conversationsA"|"resyncN"|undefined} packet
             * @memberof parley.v1.Frame
             * @instance
             */
            Object.defineProperty(Frame.prototype, "packet", {
                get: $util.oneOfGetter($oneOfFields = ["msgR", "msgA", "msgN", "ackR", "ackA", "ackN", "offlineR", "offlineA", "offlineackR", "ping", "pong", "welcome", "error", "groupR", "groupA", "syncR", "syncA", "conversationsR", "conversationsA", "resyncN"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Frame instance using the specified properties.
             * @function create
             * @memberof parley.v1.Frame
             * @static
             * @param {parley.v1.IFrame=} [properties] Properties to set
             * @returns {parley.v1.Frame} Frame instance
             */
            Frame.create = function create(properties) {
                return new Frame(properties);
            };

            /**
             * Encodes the specified Frame message. Does not implicitly {@link parley.v1.Frame.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Frame
             * @static
             * @param {parley.v1.IFrame} message Frame message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Frame.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.msgR != null && Object.hasOwnProperty.call(message, "msgR"))
                    $root.parley.v1.MsgRequest.encode(message.msgR, writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                if (message.msgA != null && Object.hasOwnProperty.call(message, "msgA"))
                    $root.parley.v1.MsgAccepted.encode(message.msgA, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                if (message.msgN != null && Object.hasOwnProperty.call(message, "msgN"))
                    $root.parley.v1.MsgNotify.encode(message.msgN, writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                if (message.ackR != null && Object.hasOwnProperty.call(message, "ackR"))
                    $root.parley.v1.AckRequest.encode(message.ackR, writer.uint32(/* id 4, wireType 2 =*/34).fork()).ldelim();
                if (message.ackA != null && Object.hasOwnProperty.call(message, "ackA"))
                    $root.parley.v1.AckAccepted.encode(message.ackA, writer.uint32(/* id 5, wireType 2 =*/42).fork()).ldelim();
                if (message.ackN != null && Object.hasOwnProperty.call(message, "ackN"))
                    $root.parley.v1.AckNotify.encode(message.ackN, writer.uint32(/* id 6, wireType 2 =*/50).fork()).ldelim();
                if (message.offlineR != null && Object.hasOwnProperty.call(message, "offlineR"))
                    $root.parley.v1.OfflineRequest.encode(message.offlineR, writer.uint32(/* id 7, wireType 2 =*/58).fork()).ldelim();
                if (message.offlineA != null && Object.hasOwnProperty.call(message, "offlineA"))
                    $root.parley.v1.OfflineAnswer.encode(message.offlineA, writer.uint32(/* id 8, wireType 2 =*/66).fork()).ldelim();
                if (message.offlineackR != null && Object.hasOwnProperty.call(message, "offlineackR"))
                    $root.parley.v1.OfflineAckRequest.encode(message.offlineackR, writer.uint32(/* id 9, wireType 2 =*/74).fork()).ldelim();
                if (message.ping != null && Object.hasOwnProperty.call(message, "ping"))
                    $root.parley.v1.Ping.encode(message.ping, writer.uint32(/* id 10, wireType 2 =*/82).fork()).ldelim();
                if (message.pong != null && Object.hasOwnProperty.call(message, "pong"))
                    $root.parley.v1.Pong.encode(message.pong, writer.uint32(/* id 11, wireType 2 =*/90).fork()).ldelim();
                if (message.welcome != null && Object.hasOwnProperty.call(message, "welcome"))
                    $root.parley.v1.Welcome.encode(message.welcome, writer.uint32(/* id 12, wireType 2 =*/98).fork()).ldelim();
                if (message.error != null && Object.hasOwnProperty.call(message, "error"))
                    $root.parley.v1.Error.encode(message.error, writer.uint32(/* id 13, wireType 2 =*/106).fork()).ldelim();
                if (message.groupR != null && Object.hasOwnProperty.call(message, "groupR"))
                    $root.parley.v1.GroupRequest.encode(message.groupR, writer.uint32(/* id 14, wireType 2 =*/114).fork()).ldelim();
                if (message.groupA != null && Object.hasOwnProperty.call(message, "groupA"))
                    $root.parley.v1.GroupAnswer.encode(message.groupA, writer.uint32(/* id 15, wireType 2 =*/122).fork()).ldelim();
                if (message.syncR != null && Object.hasOwnProperty.call(message, "syncR"))
                    $root.parley.v1.SyncRequest.encode(message.syncR, writer.uint32(/* id 16, wireType 2 =*/130).fork()).ldelim();
                if (message.syncA != null && Object.hasOwnProperty.call(message, "syncA"))
                    $root.parley.v1.SyncAnswer.encode(message.syncA, writer.uint32(/* id 17, wireType 2 =*/138).fork()).ldelim();
                if (message.conversationsR != null && Object.hasOwnProperty.call(message, "conversationsR"))
                    $root.parley.v1.ConversationsRequest.encode(message.conversationsR, writer.uint32(/* id 18, wireType 2 =*/146).fork()).ldelim();
                if (message.conversationsA != null && Object.hasOwnProperty.call(message, "conversationsA"))
                    $root.parley.v1.ConversationsAnswer.encode(message.conversationsA, writer.uint32(/* id 19, wireType 2 =*/154).fork()).ldelim();
                if (message.resyncN != null && Object.hasOwnProperty.call(message, "resyncN"))
                    $root.parley.v1.Resync.encode(message.resyncN, writer.uint32(/* id 20, wireType 2 =*/162).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a Frame message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Frame
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Frame} Frame
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Frame.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Frame();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.msgR = $root.parley.v1.MsgRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 2: {
                            message.msgA = $root.parley.v1.MsgAccepted.decode(reader, reader.uint32());
                            break;
                        }
                    case 3: {
                            message.msgN = $root.parley.v1.MsgNotify.decode(reader, reader.uint32());
                            break;
                        }
                    case 4: {
                            message.ackR = $root.parley.v1.AckRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 5: {
                            message.ackA = $root.parley.v1.AckAccepted.decode(reader, reader.uint32());
                            break;
                        }
                    case 6: {
                            message.ackN = $root.parley.v1.AckNotify.decode(reader, reader.uint32());
                            break;
                        }
                    case 7: {
                            message.offlineR = $root.parley.v1.OfflineRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 8: {
                            message.offlineA = $root.parley.v1.OfflineAnswer.decode(reader, reader.uint32());
                            break;
                        }
                    case 9: {
                            message.offlineackR = $root.parley.v1.OfflineAckRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 10: {
                            message.ping = $root.parley.v1.Ping.decode(reader, reader.uint32());
                            break;
                        }
                    case 11: {
                            message.pong = $root.parley.v1.Pong.decode(reader, reader.uint32());
                            break;
                        }
                    case 12: {
                            message.welcome = $root.parley.v1.Welcome.decode(reader, reader.uint32());
                            break;
                        }
                    case 13: {
                            message.error = $root.parley.v1.Error.decode(reader, reader.uint32());
                            break;
                        }
                    case 14: {
                            message.groupR = $root.parley.v1.GroupRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 15: {
                            message.groupA = $root.parley.v1.GroupAnswer.decode(reader, reader.uint32());
                            break;
                        }
                    case 16: {
                            message.syncR = $root.parley.v1.SyncRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 17: {
                            message.syncA = $root.parley.v1.SyncAnswer.decode(reader, reader.uint32());
                            break;
                        }
                    case 18: {
                            message.conversationsR = $root.parley.v1.ConversationsRequest.decode(reader, reader.uint32());
                            break;
                        }
                    case 19: {
                            message.conversationsA = $root.parley.v1.ConversationsAnswer.decode(reader, reader.uint32());
                            break;
                        }
                    case 20: {
                            message.resyncN = $root.parley.v1.Resync.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Frame
             * @function getTypeUrl
             * @memberof parley.v1.Frame
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Frame.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Frame";
            };

            return Frame;
        })();

        v1.Position = (function() {

            /**
             * Properties of a Position.
             * @memberof parley.v1
             * @interface IPosition
             * @property {string|null} [epoch] Position epoch
             * @property {number|null} [seq] Position seq
             */

            /**
             * Constructs a new Position.
             * @memberof parley.v1
             * @classdesc Represents a Position.
             * @implements IPosition
             * @constructor
             * @param {parley.v1.IPosition=} [properties] Properties to set
             */
            function Position(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Position epoch.
             * @member {string} epoch
             * @memberof parley.v1.Position
             * @instance
             */
            Position.prototype.epoch = "";

            /**
             * Position seq.
             * @member {number} seq
             * @memberof parley.v1.Position
             * @instance
             */
            Position.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Position instance using the specified properties.
             * @function create
             * @memberof parley.v1.Position
             * @static
             * @param {parley.v1.IPosition=} [properties] Properties to set
             * @returns {parley.v1.Position} Position instance
             */
            Position.create = function create(properties) {
                return new Position(properties);
            };

            /**
             * Encodes the specified Position message. Does not implicitly {@link parley.v1.Position.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Position
             * @static
             * @param {parley.v1.IPosition} message Position message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Position.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.epoch);
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.seq);
                return writer;
            };

            /**
             * Decodes a Position message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Position
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Position} Position
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Position.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Position();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epoch = reader.string();
                            break;
                        }
                    case 2: {
                            message.seq = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Position
             * @function getTypeUrl
             * @memberof parley.v1.Position
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Position.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Position";
            };

            return Position;
        })();

        v1.MsgRequest = (function() {

            /**
             * Properties of a MsgRequest.
             * @memberof parley.v1
             * @interface IMsgRequest
             * @property {string|null} [msgId] MsgRequest msgId
             * @property {string|null} [toUser] MsgRequest toUser
             * @property {Uint8Array|null} [payload] MsgRequest payload
             * @property {number|null} [clientSeq] MsgRequest clientSeq
             * @property {string|null} [fromUser] MsgRequest fromUser
             * @property {string|null} [conversation] MsgRequest conversation
             */

            /**
             * Constructs a new MsgRequest.
             * @memberof parley.v1
             * @classdesc Represents a MsgRequest.
             * @implements IMsgRequest
             * @constructor
             * @param {parley.v1.IMsgRequest=} [properties] Properties to set
             */
            function MsgRequest(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * MsgRequest msgId.
             * @member {string} msgId
             * @memberof parley.v1.MsgRequest
             * @instance
             */
            MsgRequest.prototype.msgId = "";

            /**
             * MsgRequest toUser.
             * @member {string} toUser
             * @memberof parley.v1.MsgRequest
             * @instance
             */
            MsgRequest.prototype.toUser = "";

            /**
             * MsgRequest payload.
             * @member {Uint8Array} payload
             * @memberof parley.v1.MsgRequest
             * @instance
             */
            MsgRequest.prototype.payload = $util.newBuffer([]);

            /**
             * MsgRequest clientSeq.
             * @member {number} clientSeq
             * @memberof parley.v1.MsgRequest
             * @instance
             */
            MsgRequest.prototype.clientSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MsgRequest fromUser.
             * @member {string} fromUser
             * @memberof parley.v1.MsgRequest
             * @instance
             */
            MsgRequest.prototype.fromUser = "";

            /**
             * MsgRequest conversation.
             * @member {string} conversation
             * @memberof parley.v1.MsgRequest
             * @instance
             */
            MsgRequest.prototype.conversation = "";

            /**
             * Creates a new MsgRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.MsgRequest
             * @static
             * @param {parley.v1.IMsgRequest=} [properties] Properties to set
             * @returns {parley.v1.MsgRequest} MsgRequest instance
             */
            MsgRequest.create = function create(properties) {
                return new MsgRequest(properties);
            };

            /**
             * Encodes the specified MsgRequest message. Does not implicitly {@link parley.v1.MsgRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.MsgRequest
             * @static
             * @param {parley.v1.IMsgRequest} message MsgRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MsgRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.msgId);
                if (message.toUser != null && Object.hasOwnProperty.call(message, "toUser"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.toUser);
                if (message.payload != null && Object.hasOwnProperty.call(message, "payload"))
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.payload);
                if (message.clientSeq != null && Object.hasOwnProperty.call(message, "clientSeq"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.clientSeq);
                if (message.fromUser != null && Object.hasOwnProperty.call(message, "fromUser"))
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.fromUser);
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.conversation);
                return writer;
            };

            /**
             * Decodes a MsgRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.MsgRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.MsgRequest} MsgRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MsgRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.MsgRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 2: {
                            message.toUser = reader.string();
                            break;
                        }
                    case 3: {
                            message.payload = reader.bytes();
                            break;
                        }
                    case 4: {
                            message.clientSeq = reader.uint64();
                            break;
                        }
                    case 5: {
                            message.fromUser = reader.string();
                            break;
                        }
                    case 6: {
                            message.conversation = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for MsgRequest
             * @function getTypeUrl
             * @memberof parley.v1.MsgRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            MsgRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.MsgRequest";
            };

            return MsgRequest;
        })();

        v1.MsgAccepted = (function() {

            /**
             * Properties of a MsgAccepted.
             * @memberof parley.v1
             * @interface IMsgAccepted
             * @property {string|null} [msgId] MsgAccepted msgId
             * @property {string|null} [conversation] MsgAccepted conversation
             * @property {parley.v1.IPosition|null} [position] MsgAccepted position
             * @property {number|null} [serverTimeMs] MsgAccepted serverTimeMs
             */

            /**
             * Constructs a new MsgAccepted.
             * @memberof parley.v1
             * @classdesc Represents a MsgAccepted.
             * @implements IMsgAccepted
             * @constructor
             * @param {parley.v1.IMsgAccepted=} [properties] Properties to set
             */
            function MsgAccepted(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * MsgAccepted msgId.
             * @member {string} msgId
             * @memberof parley.v1.MsgAccepted
             * @instance
             */
            MsgAccepted.prototype.msgId = "";

            /**
             * MsgAccepted conversation.
             * @member {string} conversation
             * @memberof parley.v1.MsgAccepted
             * @instance
             */
            MsgAccepted.prototype.conversation = "";

            /**
             * MsgAccepted position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.MsgAccepted
             * @instance
             */
            MsgAccepted.prototype.position = null;

            /**
             * MsgAccepted serverTimeMs.
             * @member {number} serverTimeMs
             * @memberof parley.v1.MsgAccepted
             * @instance
             */
            MsgAccepted.prototype.serverTimeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new MsgAccepted instance using the specified properties.
             * @function create
             * @memberof parley.v1.MsgAccepted
             * @static
             * @param {parley.v1.IMsgAccepted=} [properties] Properties to set
             * @returns {parley.v1.MsgAccepted} MsgAccepted instance
             */
            MsgAccepted.create = function create(properties) {
                return new MsgAccepted(properties);
            };

            /**
             * Encodes the specified MsgAccepted message. Does not implicitly {@link parley.v1.MsgAccepted.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.MsgAccepted
             * @static
             * @param {parley.v1.IMsgAccepted} message MsgAccepted message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MsgAccepted.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.msgId);
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                if (message.serverTimeMs != null && Object.hasOwnProperty.call(message, "serverTimeMs"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.serverTimeMs);
                return writer;
            };

            /**
             * Decodes a MsgAccepted message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.MsgAccepted
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.MsgAccepted} MsgAccepted
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MsgAccepted.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.MsgAccepted();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 2: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 3: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 4: {
                            message.serverTimeMs = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for MsgAccepted
             * @function getTypeUrl
             * @memberof parley.v1.MsgAccepted
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            MsgAccepted.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.MsgAccepted";
            };

            return MsgAccepted;
        })();

        v1.MsgNotify = (function() {

            /**
             * Properties of a MsgNotify.
             * @memberof parley.v1
             * @interface IMsgNotify
             * @property {string|null} [conversation] MsgNotify conversation
             * @property {parley.v1.IPosition|null} [position] MsgNotify position
             * @property {string|null} [msgId] MsgNotify msgId
             * @property {string|null} [fromUser] MsgNotify fromUser
             * @property {Uint8Array|null} [payload] MsgNotify payload
             * @property {number|null} [serverTimeMs] MsgNotify serverTimeMs
             * @property {number|null} [clientSeq] MsgNotify clientSeq
             */

            /**
             * Constructs a new MsgNotify.
             * @memberof parley.v1
             * @classdesc Represents a MsgNotify.
             * @implements IMsgNotify
             * @constructor
             * @param {parley.v1.IMsgNotify=} [properties] Properties to set
             */
            function MsgNotify(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * MsgNotify conversation.
             * @member {string} conversation
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.conversation = "";

            /**
             * MsgNotify position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.position = null;

            /**
             * MsgNotify msgId.
             * @member {string} msgId
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.msgId = "";

            /**
             * MsgNotify fromUser.
             * @member {string} fromUser
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.fromUser = "";

            /**
             * MsgNotify payload.
             * @member {Uint8Array} payload
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.payload = $util.newBuffer([]);

            /**
             * MsgNotify serverTimeMs.
             * @member {number} serverTimeMs
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.serverTimeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MsgNotify clientSeq.
             * @member {number} clientSeq
             * @memberof parley.v1.MsgNotify
             * @instance
             */
            MsgNotify.prototype.clientSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new MsgNotify instance using the specified properties.
             * @function create
             * @memberof parley.v1.MsgNotify
             * @static
             * @param {parley.v1.IMsgNotify=} [properties] Properties to set
             * @returns {parley.v1.MsgNotify} MsgNotify instance
             */
            MsgNotify.create = function create(properties) {
                return new MsgNotify(properties);
            };

            /**
             * Encodes the specified MsgNotify message. Does not implicitly {@link parley.v1.MsgNotify.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.MsgNotify
             * @static
             * @param {parley.v1.IMsgNotify} message MsgNotify message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MsgNotify.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.msgId);
                if (message.fromUser != null && Object.hasOwnProperty.call(message, "fromUser"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.fromUser);
                if (message.payload != null && Object.hasOwnProperty.call(message, "payload"))
                    writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.payload);
                if (message.serverTimeMs != null && Object.hasOwnProperty.call(message, "serverTimeMs"))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.serverTimeMs);
                if (message.clientSeq != null && Object.hasOwnProperty.call(message, "clientSeq"))
                    writer.uint32(/* id 7, wireType 0 =*/56).uint64(message.clientSeq);
                return writer;
            };

            /**
             * Decodes a MsgNotify message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.MsgNotify
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.MsgNotify} MsgNotify
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MsgNotify.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.MsgNotify();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 3: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 4: {
                            message.fromUser = reader.string();
                            break;
                        }
                    case 5: {
                            message.payload = reader.bytes();
                            break;
                        }
                    case 6: {
                            message.serverTimeMs = reader.uint64();
                            break;
                        }
                    case 7: {
                            message.clientSeq = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for MsgNotify
             * @function getTypeUrl
             * @memberof parley.v1.MsgNotify
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            MsgNotify.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.MsgNotify";
            };

            return MsgNotify;
        })();

        v1.AckRequest = (function() {

            /**
             * Properties of an AckRequest.
             * @memberof parley.v1
             * @interface IAckRequest
             * @property {string|null} [conversation] AckRequest conversation
             * @property {parley.v1.IPosition|null} [position] AckRequest position
             */

            /**
             * Constructs a new AckRequest.
             * @memberof parley.v1
             * @classdesc Represents an AckRequest.
             * @implements IAckRequest
             * @constructor
             * @param {parley.v1.IAckRequest=} [properties] Properties to set
             */
            function AckRequest(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * AckRequest conversation.
             * @member {string} conversation
             * @memberof parley.v1.AckRequest
             * @instance
             */
            AckRequest.prototype.conversation = "";

            /**
             * AckRequest position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.AckRequest
             * @instance
             */
            AckRequest.prototype.position = null;

            /**
             * Creates a new AckRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.AckRequest
             * @static
             * @param {parley.v1.IAckRequest=} [properties] Properties to set
             * @returns {parley.v1.AckRequest} AckRequest instance
             */
            AckRequest.create = function create(properties) {
                return new AckRequest(properties);
            };

            /**
             * Encodes the specified AckRequest message. Does not implicitly {@link parley.v1.AckRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.AckRequest
             * @static
             * @param {parley.v1.IAckRequest} message AckRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AckRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes an AckRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.AckRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.AckRequest} AckRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AckRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.AckRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for AckRequest
             * @function getTypeUrl
             * @memberof parley.v1.AckRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AckRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.AckRequest";
            };

            return AckRequest;
        })();

        v1.AckAccepted = (function() {

            /**
             * Properties of an AckAccepted.
             * @memberof parley.v1
             * @interface IAckAccepted
             * @property {string|null} [conversation] AckAccepted conversation
             * @property {parley.v1.IPosition|null} [position] AckAccepted position
             */

            /**
             * Constructs a new AckAccepted.
             * @memberof parley.v1
             * @classdesc Represents an AckAccepted.
             * @implements IAckAccepted
             * @constructor
             * @param {parley.v1.IAckAccepted=} [properties] Properties to set
             */
            function AckAccepted(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * AckAccepted conversation.
             * @member {string} conversation
             * @memberof parley.v1.AckAccepted
             * @instance
             */
            AckAccepted.prototype.conversation = "";

            /**
             * AckAccepted position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.AckAccepted
             * @instance
             */
            AckAccepted.prototype.position = null;

            /**
             * Creates a new AckAccepted instance using the specified properties.
             * @function create
             * @memberof parley.v1.AckAccepted
             * @static
             * @param {parley.v1.IAckAccepted=} [properties] Properties to set
             * @returns {parley.v1.AckAccepted} AckAccepted instance
             */
            AckAccepted.create = function create(properties) {
                return new AckAccepted(properties);
            };

            /**
             * Encodes the specified AckAccepted message. Does not implicitly {@link parley.v1.AckAccepted.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.AckAccepted
             * @static
             * @param {parley.v1.IAckAccepted} message AckAccepted message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AckAccepted.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes an AckAccepted message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.AckAccepted
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.AckAccepted} AckAccepted
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AckAccepted.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.AckAccepted();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for AckAccepted
             * @function getTypeUrl
             * @memberof parley.v1.AckAccepted
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AckAccepted.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.AckAccepted";
            };

            return AckAccepted;
        })();

        /**
         * AckStatus enum.
         * @name parley.v1.AckStatus
         * @enum {number}
         * @property {number} ACK_STATUS_UNSPECIFIED=0 ACK_STATUS_UNSPECIFIED value
         * @property {number} ACK_STATUS_DELIVERED=1 ACK_STATUS_DELIVERED value
         * @property {number} ACK_STATUS_STORED_OFFLINE=2 ACK_STATUS_STORED_OFFLINE value
         * @property {number} ACK_STATUS_QUEUED=3 ACK_STATUS_QUEUED value
         */
        v1.AckStatus = (function() {
            var valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "ACK_STATUS_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ACK_STATUS_DELIVERED"] = 1;
            values[valuesById[2] = "ACK_STATUS_STORED_OFFLINE"] = 2;
            values[valuesById[3] = "ACK_STATUS_QUEUED"] = 3;
            return values;
        })();

        v1.AckNotify = (function() {

            /**
             * Properties of an AckNotify.
             * @memberof parley.v1
             * @interface IAckNotify
             * @property {string|null} [conversation] AckNotify conversation
             * @property {parley.v1.IPosition|null} [position] AckNotify position
             * @property {string|null} [msgId] AckNotify msgId
             * @property {string|null} [toUser] AckNotify toUser
             * @property {parley.v1.AckStatus|null} [status] AckNotify status
             */

            /**
             * Constructs a new AckNotify.
             * @memberof parley.v1
             * @classdesc Represents an AckNotify.
             * @implements IAckNotify
             * @constructor
             * @param {parley.v1.IAckNotify=} [properties] Properties to set
             */
            function AckNotify(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * AckNotify conversation.
             * @member {string} conversation
             * @memberof parley.v1.AckNotify
             * @instance
             */
            AckNotify.prototype.conversation = "";

            /**
             * AckNotify position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.AckNotify
             * @instance
             */
            AckNotify.prototype.position = null;

            /**
             * AckNotify msgId.
             * @member {string} msgId
             * @memberof parley.v1.AckNotify
             * @instance
             */
            AckNotify.prototype.msgId = "";

            /**
             * AckNotify toUser.
             * @member {string} toUser
             * @memberof parley.v1.AckNotify
             * @instance
             */
            AckNotify.prototype.toUser = "";

            /**
             * AckNotify status.
             * @member {parley.v1.AckStatus} status
             * @memberof parley.v1.AckNotify
             * @instance
             */
            AckNotify.prototype.status = 0;

            /**
             * Creates a new AckNotify instance using the specified properties.
             * @function create
             * @memberof parley.v1.AckNotify
             * @static
             * @param {parley.v1.IAckNotify=} [properties] Properties to set
             * @returns {parley.v1.AckNotify} AckNotify instance
             */
            AckNotify.create = function create(properties) {
                return new AckNotify(properties);
            };

            /**
             * Encodes the specified AckNotify message. Does not implicitly {@link parley.v1.AckNotify.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.AckNotify
             * @static
             * @param {parley.v1.IAckNotify} message AckNotify message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AckNotify.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.msgId);
                if (message.toUser != null && Object.hasOwnProperty.call(message, "toUser"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.toUser);
                if (message.status != null && Object.hasOwnProperty.call(message, "status"))
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.status);
                return writer;
            };

            /**
             * Decodes an AckNotify message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.AckNotify
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.AckNotify} AckNotify
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AckNotify.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.AckNotify();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 3: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 4: {
                            message.toUser = reader.string();
                            break;
                        }
                    case 5: {
                            message.status = reader.int32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for AckNotify
             * @function getTypeUrl
             * @memberof parley.v1.AckNotify
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AckNotify.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.AckNotify";
            };

            return AckNotify;
        })();

        v1.OfflineRequest = (function() {

            /**
             * Properties of an OfflineRequest.
             * @memberof parley.v1
             * @interface IOfflineRequest
             * @property {number|null} [limit] OfflineRequest limit
             * @property {string|null} [cursor] OfflineRequest cursor
             */

            /**
             * Constructs a new OfflineRequest.
             * @memberof parley.v1
             * @classdesc Represents an OfflineRequest.
             * @implements IOfflineRequest
             * @constructor
             * @param {parley.v1.IOfflineRequest=} [properties] Properties to set
             */
            function OfflineRequest(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * OfflineRequest limit.
             * @member {number} limit
             * @memberof parley.v1.OfflineRequest
             * @instance
             */
            OfflineRequest.prototype.limit = 0;

            /**
             * OfflineRequest cursor.
             * @member {string} cursor
             * @memberof parley.v1.OfflineRequest
             * @instance
             */
            OfflineRequest.prototype.cursor = "";

            /**
             * Creates a new OfflineRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.OfflineRequest
             * @static
             * @param {parley.v1.IOfflineRequest=} [properties] Properties to set
             * @returns {parley.v1.OfflineRequest} OfflineRequest instance
             */
            OfflineRequest.create = function create(properties) {
                return new OfflineRequest(properties);
            };

            /**
             * Encodes the specified OfflineRequest message. Does not implicitly {@link parley.v1.OfflineRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.OfflineRequest
             * @static
             * @param {parley.v1.IOfflineRequest} message OfflineRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OfflineRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.limit != null && Object.hasOwnProperty.call(message, "limit"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.limit);
                if (message.cursor != null && Object.hasOwnProperty.call(message, "cursor"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.cursor);
                return writer;
            };

            /**
             * Decodes an OfflineRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.OfflineRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.OfflineRequest} OfflineRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OfflineRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.OfflineRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.limit = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.cursor = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for OfflineRequest
             * @function getTypeUrl
             * @memberof parley.v1.OfflineRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            OfflineRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.OfflineRequest";
            };

            return OfflineRequest;
        })();

        v1.OfflineAnswer = (function() {

            /**
             * Properties of an OfflineAnswer.
             * @memberof parley.v1
             * @interface IOfflineAnswer
             * @property {Array.<parley.v1.IMsgNotify>|null} [messages] OfflineAnswer messages
             * @property {boolean|null} [hasMore] OfflineAnswer hasMore
             * @property {string|null} [nextCursor] OfflineAnswer nextCursor
             */

            /**
             * Constructs a new OfflineAnswer.
             * @memberof parley.v1
             * @classdesc Represents an OfflineAnswer.
             * @implements IOfflineAnswer
             * @constructor
             * @param {parley.v1.IOfflineAnswer=} [properties] Properties to set
             */
            function OfflineAnswer(properties) {
                this.messages = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * OfflineAnswer messages.
             * @member {Array.<parley.v1.IMsgNotify>} messages
             * @memberof parley.v1.OfflineAnswer
             * @instance
             */
            OfflineAnswer.prototype.messages = $util.emptyArray;

            /**
             * OfflineAnswer hasMore.
             * @member {boolean} hasMore
             * @memberof parley.v1.OfflineAnswer
             * @instance
             */
            OfflineAnswer.prototype.hasMore = false;

            /**
             * OfflineAnswer nextCursor.
             * @member {string} nextCursor
             * @memberof parley.v1.OfflineAnswer
             * @instance
             */
            OfflineAnswer.prototype.nextCursor = "";

            /**
             * Creates a new OfflineAnswer instance using the specified properties.
             * @function create
             * @memberof parley.v1.OfflineAnswer
             * @static
             * @param {parley.v1.IOfflineAnswer=} [properties] Properties to set
             * @returns {parley.v1.OfflineAnswer} OfflineAnswer instance
             */
            OfflineAnswer.create = function create(properties) {
                return new OfflineAnswer(properties);
            };

            /**
             * Encodes the specified OfflineAnswer message. Does not implicitly {@link parley.v1.OfflineAnswer.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.OfflineAnswer
             * @static
             * @param {parley.v1.IOfflineAnswer} message OfflineAnswer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OfflineAnswer.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.messages != null && message.messages.length)
                    for (var i = 0; i < message.messages.length; ++i)
                        $root.parley.v1.MsgNotify.encode(message.messages[i], writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                if (message.hasMore != null && Object.hasOwnProperty.call(message, "hasMore"))
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.hasMore);
                if (message.nextCursor != null && Object.hasOwnProperty.call(message, "nextCursor"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.nextCursor);
                return writer;
            };

            /**
             * Decodes an OfflineAnswer message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.OfflineAnswer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.OfflineAnswer} OfflineAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OfflineAnswer.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.OfflineAnswer();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.messages && message.messages.length))
                                message.messages = [];
                            message.messages.push($root.parley.v1.MsgNotify.decode(reader, reader.uint32()));
                            break;
                        }
                    case 2: {
                            message.hasMore = reader.bool();
                            break;
                        }
                    case 3: {
                            message.nextCursor = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for OfflineAnswer
             * @function getTypeUrl
             * @memberof parley.v1.OfflineAnswer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            OfflineAnswer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.OfflineAnswer";
            };

            return OfflineAnswer;
        })();

        v1.InboxRef = (function() {

            /**
             * Properties of an InboxRef.
             * @memberof parley.v1
             * @interface IInboxRef
             * @property {string|null} [conversation] InboxRef conversation
             * @property {parley.v1.IPosition|null} [position] InboxRef position
             */

            /**
             * Constructs a new InboxRef.
             * @memberof parley.v1
             * @classdesc Represents an InboxRef.
             * @implements IInboxRef
             * @constructor
             * @param {parley.v1.IInboxRef=} [properties] Properties to set
             */
            function InboxRef(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * InboxRef conversation.
             * @member {string} conversation
             * @memberof parley.v1.InboxRef
             * @instance
             */
            InboxRef.prototype.conversation = "";

            /**
             * InboxRef position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.InboxRef
             * @instance
             */
            InboxRef.prototype.position = null;

            /**
             * Creates a new InboxRef instance using the specified properties.
             * @function create
             * @memberof parley.v1.InboxRef
             * @static
             * @param {parley.v1.IInboxRef=} [properties] Properties to set
             * @returns {parley.v1.InboxRef} InboxRef instance
             */
            InboxRef.create = function create(properties) {
                return new InboxRef(properties);
            };

            /**
             * Encodes the specified InboxRef message. Does not implicitly {@link parley.v1.InboxRef.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.InboxRef
             * @static
             * @param {parley.v1.IInboxRef} message InboxRef message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            InboxRef.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes an InboxRef message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.InboxRef
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.InboxRef} InboxRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            InboxRef.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.InboxRef();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for InboxRef
             * @function getTypeUrl
             * @memberof parley.v1.InboxRef
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            InboxRef.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.InboxRef";
            };

            return InboxRef;
        })();

        v1.OfflineAckRequest = (function() {

            /**
             * Properties of an OfflineAckRequest.
             * @memberof parley.v1
             * @interface IOfflineAckRequest
             * @property {Array.<parley.v1.IInboxRef>|null} [refs] OfflineAckRequest refs
             */

            /**
             * Constructs a new OfflineAckRequest.
             * @memberof parley.v1
             * @classdesc Represents an OfflineAckRequest.
             * @implements IOfflineAckRequest
             * @constructor
             * @param {parley.v1.IOfflineAckRequest=} [properties] Properties to set
             */
            function OfflineAckRequest(properties) {
                this.refs = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * OfflineAckRequest refs.
             * @member {Array.<parley.v1.IInboxRef>} refs
             * @memberof parley.v1.OfflineAckRequest
             * @instance
             */
            OfflineAckRequest.prototype.refs = $util.emptyArray;

            /**
             * Creates a new OfflineAckRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.OfflineAckRequest
             * @static
             * @param {parley.v1.IOfflineAckRequest=} [properties] Properties to set
             * @returns {parley.v1.OfflineAckRequest} OfflineAckRequest instance
             */
            OfflineAckRequest.create = function create(properties) {
                return new OfflineAckRequest(properties);
            };

            /**
             * Encodes the specified OfflineAckRequest message. Does not implicitly {@link parley.v1.OfflineAckRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.OfflineAckRequest
             * @static
             * @param {parley.v1.IOfflineAckRequest} message OfflineAckRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OfflineAckRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.refs != null && message.refs.length)
                    for (var i = 0; i < message.refs.length; ++i)
                        $root.parley.v1.InboxRef.encode(message.refs[i], writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes an OfflineAckRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.OfflineAckRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.OfflineAckRequest} OfflineAckRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OfflineAckRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.OfflineAckRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.refs && message.refs.length))
                                message.refs = [];
                            message.refs.push($root.parley.v1.InboxRef.decode(reader, reader.uint32()));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for OfflineAckRequest
             * @function getTypeUrl
             * @memberof parley.v1.OfflineAckRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            OfflineAckRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.OfflineAckRequest";
            };

            return OfflineAckRequest;
        })();

        v1.Ping = (function() {

            /**
             * Properties of a Ping.
             * @memberof parley.v1
             * @interface IPing
             * @property {number|null} [nonce] Ping nonce
             */

            /**
             * Constructs a new Ping.
             * @memberof parley.v1
             * @classdesc Represents a Ping.
             * @implements IPing
             * @constructor
             * @param {parley.v1.IPing=} [properties] Properties to set
             */
            function Ping(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Ping nonce.
             * @member {number} nonce
             * @memberof parley.v1.Ping
             * @instance
             */
            Ping.prototype.nonce = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Ping instance using the specified properties.
             * @function create
             * @memberof parley.v1.Ping
             * @static
             * @param {parley.v1.IPing=} [properties] Properties to set
             * @returns {parley.v1.Ping} Ping instance
             */
            Ping.create = function create(properties) {
                return new Ping(properties);
            };

            /**
             * Encodes the specified Ping message. Does not implicitly {@link parley.v1.Ping.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Ping
             * @static
             * @param {parley.v1.IPing} message Ping message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ping.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.nonce != null && Object.hasOwnProperty.call(message, "nonce"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.nonce);
                return writer;
            };

            /**
             * Decodes a Ping message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Ping
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Ping} Ping
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ping.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Ping();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.nonce = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Ping
             * @function getTypeUrl
             * @memberof parley.v1.Ping
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Ping.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Ping";
            };

            return Ping;
        })();

        v1.Pong = (function() {

            /**
             * Properties of a Pong.
             * @memberof parley.v1
             * @interface IPong
             * @property {number|null} [nonce] Pong nonce
             * @property {number|null} [serverTimeMs] Pong serverTimeMs
             */

            /**
             * Constructs a new Pong.
             * @memberof parley.v1
             * @classdesc Represents a Pong.
             * @implements IPong
             * @constructor
             * @param {parley.v1.IPong=} [properties] Properties to set
             */
            function Pong(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Pong nonce.
             * @member {number} nonce
             * @memberof parley.v1.Pong
             * @instance
             */
            Pong.prototype.nonce = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Pong serverTimeMs.
             * @member {number} serverTimeMs
             * @memberof parley.v1.Pong
             * @instance
             */
            Pong.prototype.serverTimeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Pong instance using the specified properties.
             * @function create
             * @memberof parley.v1.Pong
             * @static
             * @param {parley.v1.IPong=} [properties] Properties to set
             * @returns {parley.v1.Pong} Pong instance
             */
            Pong.create = function create(properties) {
                return new Pong(properties);
            };

            /**
             * Encodes the specified Pong message. Does not implicitly {@link parley.v1.Pong.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Pong
             * @static
             * @param {parley.v1.IPong} message Pong message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Pong.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.nonce != null && Object.hasOwnProperty.call(message, "nonce"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.nonce);
                if (message.serverTimeMs != null && Object.hasOwnProperty.call(message, "serverTimeMs"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.serverTimeMs);
                return writer;
            };

            /**
             * Decodes a Pong message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Pong
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Pong} Pong
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Pong.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Pong();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.nonce = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.serverTimeMs = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Pong
             * @function getTypeUrl
             * @memberof parley.v1.Pong
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Pong.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Pong";
            };

            return Pong;
        })();

        v1.Welcome = (function() {

            /**
             * Properties of a Welcome.
             * @memberof parley.v1
             * @interface IWelcome
             * @property {string|null} [userId] Welcome userId
             * @property {string|null} [connectionId] Welcome connectionId
             * @property {number|null} [heartbeatIntervalMs] Welcome heartbeatIntervalMs
             * @property {number|null} [maxFrameBytes] Welcome maxFrameBytes
             * @property {number|null} [maxPayloadBytes] Welcome maxPayloadBytes
             * @property {number|null} [maxOfflinePage] Welcome maxOfflinePage
             * @property {string|null} [serverVersion] Welcome serverVersion
             * @property {string|null} [deviceId] Welcome deviceId
             */

            /**
             * Constructs a new Welcome.
             * @memberof parley.v1
             * @classdesc Represents a Welcome.
             * @implements IWelcome
             * @constructor
             * @param {parley.v1.IWelcome=} [properties] Properties to set
             */
            function Welcome(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Welcome userId.
             * @member {string} userId
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.userId = "";

            /**
             * Welcome connectionId.
             * @member {string} connectionId
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.connectionId = "";

            /**
             * Welcome heartbeatIntervalMs.
             * @member {number} heartbeatIntervalMs
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.heartbeatIntervalMs = 0;

            /**
             * Welcome maxFrameBytes.
             * @member {number} maxFrameBytes
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.maxFrameBytes = 0;

            /**
             * Welcome maxPayloadBytes.
             * @member {number} maxPayloadBytes
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.maxPayloadBytes = 0;

            /**
             * Welcome maxOfflinePage.
             * @member {number} maxOfflinePage
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.maxOfflinePage = 0;

            /**
             * Welcome serverVersion.
             * @member {string} serverVersion
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.serverVersion = "";

            /**
             * Welcome deviceId.
             * @member {string} deviceId
             * @memberof parley.v1.Welcome
             * @instance
             */
            Welcome.prototype.deviceId = "";

            /**
             * Creates a new Welcome instance using the specified properties.
             * @function create
             * @memberof parley.v1.Welcome
             * @static
             * @param {parley.v1.IWelcome=} [properties] Properties to set
             * @returns {parley.v1.Welcome} Welcome instance
             */
            Welcome.create = function create(properties) {
                return new Welcome(properties);
            };

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link parley.v1.Welcome.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Welcome
             * @static
             * @param {parley.v1.IWelcome} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.userId != null && Object.hasOwnProperty.call(message, "userId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.userId);
                if (message.connectionId != null && Object.hasOwnProperty.call(message, "connectionId"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.connectionId);
                if (message.heartbeatIntervalMs != null && Object.hasOwnProperty.call(message, "heartbeatIntervalMs"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.heartbeatIntervalMs);
                if (message.maxFrameBytes != null && Object.hasOwnProperty.call(message, "maxFrameBytes"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.maxFrameBytes);
                if (message.maxPayloadBytes != null && Object.hasOwnProperty.call(message, "maxPayloadBytes"))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.maxPayloadBytes);
                if (message.maxOfflinePage != null && Object.hasOwnProperty.call(message, "maxOfflinePage"))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.maxOfflinePage);
                if (message.serverVersion != null && Object.hasOwnProperty.call(message, "serverVersion"))
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.serverVersion);
                if (message.deviceId != null && Object.hasOwnProperty.call(message, "deviceId"))
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.deviceId);
                return writer;
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Welcome} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Welcome();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.userId = reader.string();
                            break;
                        }
                    case 2: {
                            message.connectionId = reader.string();
                            break;
                        }
                    case 3: {
                            message.heartbeatIntervalMs = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.maxFrameBytes = reader.uint32();
                            break;
                        }
                    case 5: {
                            message.maxPayloadBytes = reader.uint32();
                            break;
                        }
                    case 6: {
                            message.maxOfflinePage = reader.uint32();
                            break;
                        }
                    case 7: {
                            message.serverVersion = reader.string();
                            break;
                        }
                    case 8: {
                            message.deviceId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Welcome
             * @function getTypeUrl
             * @memberof parley.v1.Welcome
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Welcome.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Welcome";
            };

            return Welcome;
        })();

        v1.Error = (function() {

            /**
             * Properties of an Error.
             * @memberof parley.v1
             * @interface IError
             * @property {number|null} [code] Error code
             * @property {string|null} [message] Error message
             * @property {boolean|null} [retryable] Error retryable
             * @property {string|null} [msgId] Error msgId
             * @property {number|null} [expectedClientSeq] Error expectedClientSeq
             */

            /**
             * Constructs a new Error.
             * @memberof parley.v1
             * @classdesc Represents an Error.
             * @implements IError
             * @constructor
             * @param {parley.v1.IError=} [properties] Properties to set
             */
            function Error(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Error code.
             * @member {number} code
             * @memberof parley.v1.Error
             * @instance
             */
            Error.prototype.code = 0;

            /**
             * Error message.
             * @member {string} message
             * @memberof parley.v1.Error
             * @instance
             */
            Error.prototype.message = "";

            /**
             * Error retryable.
             * @member {boolean} retryable
             * @memberof parley.v1.Error
             * @instance
             */
            Error.prototype.retryable = false;

            /**
             * Error msgId.
             * @member {string} msgId
             * @memberof parley.v1.Error
             * @instance
             */
            Error.prototype.msgId = "";

            /**
             * Error expectedClientSeq.
             * @member {number} expectedClientSeq
             * @memberof parley.v1.Error
             * @instance
             */
            Error.prototype.expectedClientSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Error instance using the specified properties.
             * @function create
             * @memberof parley.v1.Error
             * @static
             * @param {parley.v1.IError=} [properties] Properties to set
             * @returns {parley.v1.Error} Error instance
             */
            Error.create = function create(properties) {
                return new Error(properties);
            };

            /**
             * Encodes the specified Error message. Does not implicitly {@link parley.v1.Error.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Error
             * @static
             * @param {parley.v1.IError} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.code != null && Object.hasOwnProperty.call(message, "code"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.code);
                if (message.message != null && Object.hasOwnProperty.call(message, "message"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.retryable != null && Object.hasOwnProperty.call(message, "retryable"))
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.retryable);
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.msgId);
                if (message.expectedClientSeq != null && Object.hasOwnProperty.call(message, "expectedClientSeq"))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.expectedClientSeq);
                return writer;
            };

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Error} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Error();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.code = reader.uint32();
                            break;
                        }
                    case 2: {
                            message.message = reader.string();
                            break;
                        }
                    case 3: {
                            message.retryable = reader.bool();
                            break;
                        }
                    case 4: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 5: {
                            message.expectedClientSeq = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Error
             * @function getTypeUrl
             * @memberof parley.v1.Error
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Error.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Error";
            };

            return Error;
        })();

        v1.Resync = (function() {

            /**
             * Properties of a Resync.
             * @memberof parley.v1
             * @interface IResync
             * @property {string|null} [reason] Resync reason
             */

            /**
             * Constructs a new Resync.
             * @memberof parley.v1
             * @classdesc Represents a Resync.
             * @implements IResync
             * @constructor
             * @param {parley.v1.IResync=} [properties] Properties to set
             */
            function Resync(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Resync reason.
             * @member {string} reason
             * @memberof parley.v1.Resync
             * @instance
             */
            Resync.prototype.reason = "";

            /**
             * Creates a new Resync instance using the specified properties.
             * @function create
             * @memberof parley.v1.Resync
             * @static
             * @param {parley.v1.IResync=} [properties] Properties to set
             * @returns {parley.v1.Resync} Resync instance
             */
            Resync.create = function create(properties) {
                return new Resync(properties);
            };

            /**
             * Encodes the specified Resync message. Does not implicitly {@link parley.v1.Resync.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Resync
             * @static
             * @param {parley.v1.IResync} message Resync message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Resync.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
                return writer;
            };

            /**
             * Decodes a Resync message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Resync
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Resync} Resync
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Resync.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Resync();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.reason = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Resync
             * @function getTypeUrl
             * @memberof parley.v1.Resync
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Resync.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Resync";
            };

            return Resync;
        })();

        v1.GroupRequest = (function() {

            /**
             * Properties of a GroupRequest.
             * @memberof parley.v1
             * @interface IGroupRequest
             * @property {string|null} [requestId] GroupRequest requestId
             * @property {parley.v1.IGroupCreate|null} [create] GroupRequest create
             * @property {parley.v1.IGroupChange|null} [change] GroupRequest change
             * @property {parley.v1.IGroupList|null} [list] GroupRequest list
             */

            /**
             * Constructs a new GroupRequest.
             * @memberof parley.v1
             * @classdesc Represents a GroupRequest.
             * @implements IGroupRequest
             * @constructor
             * @param {parley.v1.IGroupRequest=} [properties] Properties to set
             */
            function GroupRequest(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GroupRequest requestId.
             * @member {string} requestId
             * @memberof parley.v1.GroupRequest
             * @instance
             */
            GroupRequest.prototype.requestId = "";

            /**
             * GroupRequest create.
             * @member {parley.v1.IGroupCreate|null|undefined} create
             * @memberof parley.v1.GroupRequest
             * @instance
             */
            GroupRequest.prototype.create = null;

            /**
             * GroupRequest change.
             * @member {parley.v1.IGroupChange|null|undefined} change
             * @memberof parley.v1.GroupRequest
             * @instance
             */
            GroupRequest.prototype.change = null;

            /**
             * GroupRequest list.
             * @member {parley.v1.IGroupList|null|undefined} list
             * @memberof parley.v1.GroupRequest
             * @instance
             */
            GroupRequest.prototype.list = null;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * GroupRequest action.
             * @member {"create"|"change"|"list"|undefined} action
             * @memberof parley.v1.GroupRequest
             * @instance
             */
            Object.defineProperty(GroupRequest.prototype, "action", {
                get: $util.oneOfGetter($oneOfFields = ["create", "change", "list"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new GroupRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.GroupRequest
             * @static
             * @param {parley.v1.IGroupRequest=} [properties] Properties to set
             * @returns {parley.v1.GroupRequest} GroupRequest instance
             */
            GroupRequest.create = function create(properties) {
                return new GroupRequest(properties);
            };

            /**
             * Encodes the specified GroupRequest message. Does not implicitly {@link parley.v1.GroupRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.GroupRequest
             * @static
             * @param {parley.v1.IGroupRequest} message GroupRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                if (message.create != null && Object.hasOwnProperty.call(message, "create"))
                    $root.parley.v1.GroupCreate.encode(message.create, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                if (message.change != null && Object.hasOwnProperty.call(message, "change"))
                    $root.parley.v1.GroupChange.encode(message.change, writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                if (message.list != null && Object.hasOwnProperty.call(message, "list"))
                    $root.parley.v1.GroupList.encode(message.list, writer.uint32(/* id 4, wireType 2 =*/34).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a GroupRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.GroupRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.GroupRequest} GroupRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.GroupRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    case 2: {
                            message.create = $root.parley.v1.GroupCreate.decode(reader, reader.uint32());
                            break;
                        }
                    case 3: {
                            message.change = $root.parley.v1.GroupChange.decode(reader, reader.uint32());
                            break;
                        }
                    case 4: {
                            message.list = $root.parley.v1.GroupList.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for GroupRequest
             * @function getTypeUrl
             * @memberof parley.v1.GroupRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GroupRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.GroupRequest";
            };

            return GroupRequest;
        })();

        v1.GroupCreate = (function() {

            /**
             * Properties of a GroupCreate.
             * @memberof parley.v1
             * @interface IGroupCreate
             * @property {string|null} [groupId] GroupCreate groupId
             * @property {Array.<string>|null} [members] GroupCreate members
             */

            /**
             * Constructs a new GroupCreate.
             * @memberof parley.v1
             * @classdesc Represents a GroupCreate.
             * @implements IGroupCreate
             * @constructor
             * @param {parley.v1.IGroupCreate=} [properties] Properties to set
             */
            function GroupCreate(properties) {
                this.members = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GroupCreate groupId.
             * @member {string} groupId
             * @memberof parley.v1.GroupCreate
             * @instance
             */
            GroupCreate.prototype.groupId = "";

            /**
             * GroupCreate members.
             * @member {Array.<string>} members
             * @memberof parley.v1.GroupCreate
             * @instance
             */
            GroupCreate.prototype.members = $util.emptyArray;

            /**
             * Creates a new GroupCreate instance using the specified properties.
             * @function create
             * @memberof parley.v1.GroupCreate
             * @static
             * @param {parley.v1.IGroupCreate=} [properties] Properties to set
             * @returns {parley.v1.GroupCreate} GroupCreate instance
             */
            GroupCreate.create = function create(properties) {
                return new GroupCreate(properties);
            };

            /**
             * Encodes the specified GroupCreate message. Does not implicitly {@link parley.v1.GroupCreate.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.GroupCreate
             * @static
             * @param {parley.v1.IGroupCreate} message GroupCreate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupCreate.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.groupId != null && Object.hasOwnProperty.call(message, "groupId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.groupId);
                if (message.members != null && message.members.length)
                    for (var i = 0; i < message.members.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.members[i]);
                return writer;
            };

            /**
             * Decodes a GroupCreate message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.GroupCreate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.GroupCreate} GroupCreate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupCreate.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.GroupCreate();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.groupId = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.members && message.members.length))
                                message.members = [];
                            message.members.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for GroupCreate
             * @function getTypeUrl
             * @memberof parley.v1.GroupCreate
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GroupCreate.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.GroupCreate";
            };

            return GroupCreate;
        })();

        v1.GroupChange = (function() {

            /**
             * Properties of a GroupChange.
             * @memberof parley.v1
             * @interface IGroupChange
             * @property {string|null} [conversation] GroupChange conversation
             * @property {Array.<string>|null} [add] GroupChange add
             * @property {Array.<string>|null} [remove] GroupChange remove
             */

            /**
             * Constructs a new GroupChange.
             * @memberof parley.v1
             * @classdesc Represents a GroupChange.
             * @implements IGroupChange
             * @constructor
             * @param {parley.v1.IGroupChange=} [properties] Properties to set
             */
            function GroupChange(properties) {
                this.add = [];
                this.remove = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GroupChange conversation.
             * @member {string} conversation
             * @memberof parley.v1.GroupChange
             * @instance
             */
            GroupChange.prototype.conversation = "";

            /**
             * GroupChange add.
             * @member {Array.<string>} add
             * @memberof parley.v1.GroupChange
             * @instance
             */
            GroupChange.prototype.add = $util.emptyArray;

            /**
             * GroupChange remove.
             * @member {Array.<string>} remove
             * @memberof parley.v1.GroupChange
             * @instance
             */
            GroupChange.prototype.remove = $util.emptyArray;

            /**
             * Creates a new GroupChange instance using the specified properties.
             * @function create
             * @memberof parley.v1.GroupChange
             * @static
             * @param {parley.v1.IGroupChange=} [properties] Properties to set
             * @returns {parley.v1.GroupChange} GroupChange instance
             */
            GroupChange.create = function create(properties) {
                return new GroupChange(properties);
            };

            /**
             * Encodes the specified GroupChange message. Does not implicitly {@link parley.v1.GroupChange.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.GroupChange
             * @static
             * @param {parley.v1.IGroupChange} message GroupChange message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupChange.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.add != null && message.add.length)
                    for (var i = 0; i < message.add.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.add[i]);
                if (message.remove != null && message.remove.length)
                    for (var i = 0; i < message.remove.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.remove[i]);
                return writer;
            };

            /**
             * Decodes a GroupChange message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.GroupChange
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.GroupChange} GroupChange
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupChange.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.GroupChange();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.add && message.add.length))
                                message.add = [];
                            message.add.push(reader.string());
                            break;
                        }
                    case 3: {
                            if (!(message.remove && message.remove.length))
                                message.remove = [];
                            message.remove.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for GroupChange
             * @function getTypeUrl
             * @memberof parley.v1.GroupChange
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GroupChange.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.GroupChange";
            };

            return GroupChange;
        })();

        v1.GroupList = (function() {

            /**
             * Properties of a GroupList.
             * @memberof parley.v1
             * @interface IGroupList
             * @property {string|null} [conversation] GroupList conversation
             */

            /**
             * Constructs a new GroupList.
             * @memberof parley.v1
             * @classdesc Represents a GroupList.
             * @implements IGroupList
             * @constructor
             * @param {parley.v1.IGroupList=} [properties] Properties to set
             */
            function GroupList(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GroupList conversation.
             * @member {string} conversation
             * @memberof parley.v1.GroupList
             * @instance
             */
            GroupList.prototype.conversation = "";

            /**
             * Creates a new GroupList instance using the specified properties.
             * @function create
             * @memberof parley.v1.GroupList
             * @static
             * @param {parley.v1.IGroupList=} [properties] Properties to set
             * @returns {parley.v1.GroupList} GroupList instance
             */
            GroupList.create = function create(properties) {
                return new GroupList(properties);
            };

            /**
             * Encodes the specified GroupList message. Does not implicitly {@link parley.v1.GroupList.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.GroupList
             * @static
             * @param {parley.v1.IGroupList} message GroupList message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupList.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                return writer;
            };

            /**
             * Decodes a GroupList message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.GroupList
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.GroupList} GroupList
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupList.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.GroupList();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for GroupList
             * @function getTypeUrl
             * @memberof parley.v1.GroupList
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GroupList.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.GroupList";
            };

            return GroupList;
        })();

        v1.GroupAnswer = (function() {

            /**
             * Properties of a GroupAnswer.
             * @memberof parley.v1
             * @interface IGroupAnswer
             * @property {string|null} [requestId] GroupAnswer requestId
             * @property {string|null} [conversation] GroupAnswer conversation
             * @property {Array.<string>|null} [members] GroupAnswer members
             */

            /**
             * Constructs a new GroupAnswer.
             * @memberof parley.v1
             * @classdesc Represents a GroupAnswer.
             * @implements IGroupAnswer
             * @constructor
             * @param {parley.v1.IGroupAnswer=} [properties] Properties to set
             */
            function GroupAnswer(properties) {
                this.members = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GroupAnswer requestId.
             * @member {string} requestId
             * @memberof parley.v1.GroupAnswer
             * @instance
             */
            GroupAnswer.prototype.requestId = "";

            /**
             * GroupAnswer conversation.
             * @member {string} conversation
             * @memberof parley.v1.GroupAnswer
             * @instance
             */
            GroupAnswer.prototype.conversation = "";

            /**
             * GroupAnswer members.
             * @member {Array.<string>} members
             * @memberof parley.v1.GroupAnswer
             * @instance
             */
            GroupAnswer.prototype.members = $util.emptyArray;

            /**
             * Creates a new GroupAnswer instance using the specified properties.
             * @function create
             * @memberof parley.v1.GroupAnswer
             * @static
             * @param {parley.v1.IGroupAnswer=} [properties] Properties to set
             * @returns {parley.v1.GroupAnswer} GroupAnswer instance
             */
            GroupAnswer.create = function create(properties) {
                return new GroupAnswer(properties);
            };

            /**
             * Encodes the specified GroupAnswer message. Does not implicitly {@link parley.v1.GroupAnswer.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.GroupAnswer
             * @static
             * @param {parley.v1.IGroupAnswer} message GroupAnswer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupAnswer.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.conversation);
                if (message.members != null && message.members.length)
                    for (var i = 0; i < message.members.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.members[i]);
                return writer;
            };

            /**
             * Decodes a GroupAnswer message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.GroupAnswer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.GroupAnswer} GroupAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupAnswer.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.GroupAnswer();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    case 2: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 3: {
                            if (!(message.members && message.members.length))
                                message.members = [];
                            message.members.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for GroupAnswer
             * @function getTypeUrl
             * @memberof parley.v1.GroupAnswer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GroupAnswer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.GroupAnswer";
            };

            return GroupAnswer;
        })();

        v1.SyncRequest = (function() {

            /**
             * Properties of a SyncRequest.
             * @memberof parley.v1
             * @interface ISyncRequest
             * @property {string|null} [requestId] SyncRequest requestId
             * @property {string|null} [conversation] SyncRequest conversation
             * @property {parley.v1.IPosition|null} [after] SyncRequest after
             * @property {number|null} [limit] SyncRequest limit
             */

            /**
             * Constructs a new SyncRequest.
             * @memberof parley.v1
             * @classdesc Represents a SyncRequest.
             * @implements ISyncRequest
             * @constructor
             * @param {parley.v1.ISyncRequest=} [properties] Properties to set
             */
            function SyncRequest(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * SyncRequest requestId.
             * @member {string} requestId
             * @memberof parley.v1.SyncRequest
             * @instance
             */
            SyncRequest.prototype.requestId = "";

            /**
             * SyncRequest conversation.
             * @member {string} conversation
             * @memberof parley.v1.SyncRequest
             * @instance
             */
            SyncRequest.prototype.conversation = "";

            /**
             * SyncRequest after.
             * @member {parley.v1.IPosition|null|undefined} after
             * @memberof parley.v1.SyncRequest
             * @instance
             */
            SyncRequest.prototype.after = null;

            /**
             * SyncRequest limit.
             * @member {number} limit
             * @memberof parley.v1.SyncRequest
             * @instance
             */
            SyncRequest.prototype.limit = 0;

            /**
             * Creates a new SyncRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.SyncRequest
             * @static
             * @param {parley.v1.ISyncRequest=} [properties] Properties to set
             * @returns {parley.v1.SyncRequest} SyncRequest instance
             */
            SyncRequest.create = function create(properties) {
                return new SyncRequest(properties);
            };

            /**
             * Encodes the specified SyncRequest message. Does not implicitly {@link parley.v1.SyncRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.SyncRequest
             * @static
             * @param {parley.v1.ISyncRequest} message SyncRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SyncRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.conversation);
                if (message.after != null && Object.hasOwnProperty.call(message, "after"))
                    $root.parley.v1.Position.encode(message.after, writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                if (message.limit != null && Object.hasOwnProperty.call(message, "limit"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.limit);
                return writer;
            };

            /**
             * Decodes a SyncRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.SyncRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.SyncRequest} SyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SyncRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.SyncRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    case 2: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 3: {
                            message.after = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 4: {
                            message.limit = reader.uint32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for SyncRequest
             * @function getTypeUrl
             * @memberof parley.v1.SyncRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            SyncRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.SyncRequest";
            };

            return SyncRequest;
        })();

        v1.SyncAnswer = (function() {

            /**
             * Properties of a SyncAnswer.
             * @memberof parley.v1
             * @interface ISyncAnswer
             * @property {string|null} [requestId] SyncAnswer requestId
             * @property {string|null} [conversation] SyncAnswer conversation
             * @property {Array.<parley.v1.IMsgNotify>|null} [messages] SyncAnswer messages
             * @property {boolean|null} [hasMore] SyncAnswer hasMore
             * @property {parley.v1.IPosition|null} [latest] SyncAnswer latest
             * @property {boolean|null} [reset] SyncAnswer reset
             */

            /**
             * Constructs a new SyncAnswer.
             * @memberof parley.v1
             * @classdesc Represents a SyncAnswer.
             * @implements ISyncAnswer
             * @constructor
             * @param {parley.v1.ISyncAnswer=} [properties] Properties to set
             */
            function SyncAnswer(properties) {
                this.messages = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * SyncAnswer requestId.
             * @member {string} requestId
             * @memberof parley.v1.SyncAnswer
             * @instance
             */
            SyncAnswer.prototype.requestId = "";

            /**
             * SyncAnswer conversation.
             * @member {string} conversation
             * @memberof parley.v1.SyncAnswer
             * @instance
             */
            SyncAnswer.prototype.conversation = "";

            /**
             * SyncAnswer messages.
             * @member {Array.<parley.v1.IMsgNotify>} messages
             * @memberof parley.v1.SyncAnswer
             * @instance
             */
            SyncAnswer.prototype.messages = $util.emptyArray;

            /**
             * SyncAnswer hasMore.
             * @member {boolean} hasMore
             * @memberof parley.v1.SyncAnswer
             * @instance
             */
            SyncAnswer.prototype.hasMore = false;

            /**
             * SyncAnswer latest.
             * @member {parley.v1.IPosition|null|undefined} latest
             * @memberof parley.v1.SyncAnswer
             * @instance
             */
            SyncAnswer.prototype.latest = null;

            /**
             * SyncAnswer reset.
             * @member {boolean} reset
             * @memberof parley.v1.SyncAnswer
             * @instance
             */
            SyncAnswer.prototype.reset = false;

            /**
             * Creates a new SyncAnswer instance using the specified properties.
             * @function create
             * @memberof parley.v1.SyncAnswer
             * @static
             * @param {parley.v1.ISyncAnswer=} [properties] Properties to set
             * @returns {parley.v1.SyncAnswer} SyncAnswer instance
             */
            SyncAnswer.create = function create(properties) {
                return new SyncAnswer(properties);
            };

            /**
             * Encodes the specified SyncAnswer message. Does not implicitly {@link parley.v1.SyncAnswer.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.SyncAnswer
             * @static
             * @param {parley.v1.ISyncAnswer} message SyncAnswer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SyncAnswer.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.conversation);
                if (message.messages != null && message.messages.length)
                    for (var i = 0; i < message.messages.length; ++i)
                        $root.parley.v1.MsgNotify.encode(message.messages[i], writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                if (message.hasMore != null && Object.hasOwnProperty.call(message, "hasMore"))
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.hasMore);
                if (message.latest != null && Object.hasOwnProperty.call(message, "latest"))
                    $root.parley.v1.Position.encode(message.latest, writer.uint32(/* id 5, wireType 2 =*/42).fork()).ldelim();
                if (message.reset != null && Object.hasOwnProperty.call(message, "reset"))
                    writer.uint32(/* id 6, wireType 0 =*/48).bool(message.reset);
                return writer;
            };

            /**
             * Decodes a SyncAnswer message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.SyncAnswer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.SyncAnswer} SyncAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SyncAnswer.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.SyncAnswer();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    case 2: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 3: {
                            if (!(message.messages && message.messages.length))
                                message.messages = [];
                            message.messages.push($root.parley.v1.MsgNotify.decode(reader, reader.uint32()));
                            break;
                        }
                    case 4: {
                            message.hasMore = reader.bool();
                            break;
                        }
                    case 5: {
                            message.latest = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 6: {
                            message.reset = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for SyncAnswer
             * @function getTypeUrl
             * @memberof parley.v1.SyncAnswer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            SyncAnswer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.SyncAnswer";
            };

            return SyncAnswer;
        })();

        v1.ConversationsRequest = (function() {

            /**
             * Properties of a ConversationsRequest.
             * @memberof parley.v1
             * @interface IConversationsRequest
             * @property {string|null} [requestId] ConversationsRequest requestId
             * @property {number|null} [limit] ConversationsRequest limit
             */

            /**
             * Constructs a new ConversationsRequest.
             * @memberof parley.v1
             * @classdesc Represents a ConversationsRequest.
             * @implements IConversationsRequest
             * @constructor
             * @param {parley.v1.IConversationsRequest=} [properties] Properties to set
             */
            function ConversationsRequest(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ConversationsRequest requestId.
             * @member {string} requestId
             * @memberof parley.v1.ConversationsRequest
             * @instance
             */
            ConversationsRequest.prototype.requestId = "";

            /**
             * ConversationsRequest limit.
             * @member {number} limit
             * @memberof parley.v1.ConversationsRequest
             * @instance
             */
            ConversationsRequest.prototype.limit = 0;

            /**
             * Creates a new ConversationsRequest instance using the specified properties.
             * @function create
             * @memberof parley.v1.ConversationsRequest
             * @static
             * @param {parley.v1.IConversationsRequest=} [properties] Properties to set
             * @returns {parley.v1.ConversationsRequest} ConversationsRequest instance
             */
            ConversationsRequest.create = function create(properties) {
                return new ConversationsRequest(properties);
            };

            /**
             * Encodes the specified ConversationsRequest message. Does not implicitly {@link parley.v1.ConversationsRequest.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.ConversationsRequest
             * @static
             * @param {parley.v1.IConversationsRequest} message ConversationsRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConversationsRequest.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                if (message.limit != null && Object.hasOwnProperty.call(message, "limit"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.limit);
                return writer;
            };

            /**
             * Decodes a ConversationsRequest message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.ConversationsRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.ConversationsRequest} ConversationsRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConversationsRequest.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.ConversationsRequest();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    case 2: {
                            message.limit = reader.uint32();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for ConversationsRequest
             * @function getTypeUrl
             * @memberof parley.v1.ConversationsRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ConversationsRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.ConversationsRequest";
            };

            return ConversationsRequest;
        })();

        v1.ConversationSummary = (function() {

            /**
             * Properties of a ConversationSummary.
             * @memberof parley.v1
             * @interface IConversationSummary
             * @property {string|null} [conversation] ConversationSummary conversation
             * @property {parley.v1.IPosition|null} [latest] ConversationSummary latest
             * @property {parley.v1.IPosition|null} [acked] ConversationSummary acked
             * @property {number|null} [lastActivityMs] ConversationSummary lastActivityMs
             */

            /**
             * Constructs a new ConversationSummary.
             * @memberof parley.v1
             * @classdesc Represents a ConversationSummary.
             * @implements IConversationSummary
             * @constructor
             * @param {parley.v1.IConversationSummary=} [properties] Properties to set
             */
            function ConversationSummary(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ConversationSummary conversation.
             * @member {string} conversation
             * @memberof parley.v1.ConversationSummary
             * @instance
             */
            ConversationSummary.prototype.conversation = "";

            /**
             * ConversationSummary latest.
             * @member {parley.v1.IPosition|null|undefined} latest
             * @memberof parley.v1.ConversationSummary
             * @instance
             */
            ConversationSummary.prototype.latest = null;

            /**
             * ConversationSummary acked.
             * @member {parley.v1.IPosition|null|undefined} acked
             * @memberof parley.v1.ConversationSummary
             * @instance
             */
            ConversationSummary.prototype.acked = null;

            /**
             * ConversationSummary lastActivityMs.
             * @member {number} lastActivityMs
             * @memberof parley.v1.ConversationSummary
             * @instance
             */
            ConversationSummary.prototype.lastActivityMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new ConversationSummary instance using the specified properties.
             * @function create
             * @memberof parley.v1.ConversationSummary
             * @static
             * @param {parley.v1.IConversationSummary=} [properties] Properties to set
             * @returns {parley.v1.ConversationSummary} ConversationSummary instance
             */
            ConversationSummary.create = function create(properties) {
                return new ConversationSummary(properties);
            };

            /**
             * Encodes the specified ConversationSummary message. Does not implicitly {@link parley.v1.ConversationSummary.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.ConversationSummary
             * @static
             * @param {parley.v1.IConversationSummary} message ConversationSummary message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConversationSummary.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.latest != null && Object.hasOwnProperty.call(message, "latest"))
                    $root.parley.v1.Position.encode(message.latest, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                if (message.acked != null && Object.hasOwnProperty.call(message, "acked"))
                    $root.parley.v1.Position.encode(message.acked, writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                if (message.lastActivityMs != null && Object.hasOwnProperty.call(message, "lastActivityMs"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.lastActivityMs);
                return writer;
            };

            /**
             * Decodes a ConversationSummary message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.ConversationSummary
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.ConversationSummary} ConversationSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConversationSummary.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.ConversationSummary();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.latest = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 3: {
                            message.acked = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 4: {
                            message.lastActivityMs = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for ConversationSummary
             * @function getTypeUrl
             * @memberof parley.v1.ConversationSummary
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ConversationSummary.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.ConversationSummary";
            };

            return ConversationSummary;
        })();

        v1.ConversationsAnswer = (function() {

            /**
             * Properties of a ConversationsAnswer.
             * @memberof parley.v1
             * @interface IConversationsAnswer
             * @property {string|null} [requestId] ConversationsAnswer requestId
             * @property {Array.<parley.v1.IConversationSummary>|null} [conversations] ConversationsAnswer conversations
             */

            /**
             * Constructs a new ConversationsAnswer.
             * @memberof parley.v1
             * @classdesc Represents a ConversationsAnswer.
             * @implements IConversationsAnswer
             * @constructor
             * @param {parley.v1.IConversationsAnswer=} [properties] Properties to set
             */
            function ConversationsAnswer(properties) {
                this.conversations = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ConversationsAnswer requestId.
             * @member {string} requestId
             * @memberof parley.v1.ConversationsAnswer
             * @instance
             */
            ConversationsAnswer.prototype.requestId = "";

            /**
             * ConversationsAnswer conversations.
             * @member {Array.<parley.v1.IConversationSummary>} conversations
             * @memberof parley.v1.ConversationsAnswer
             * @instance
             */
            ConversationsAnswer.prototype.conversations = $util.emptyArray;

            /**
             * Creates a new ConversationsAnswer instance using the specified properties.
             * @function create
             * @memberof parley.v1.ConversationsAnswer
             * @static
             * @param {parley.v1.IConversationsAnswer=} [properties] Properties to set
             * @returns {parley.v1.ConversationsAnswer} ConversationsAnswer instance
             */
            ConversationsAnswer.create = function create(properties) {
                return new ConversationsAnswer(properties);
            };

            /**
             * Encodes the specified ConversationsAnswer message. Does not implicitly {@link parley.v1.ConversationsAnswer.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.ConversationsAnswer
             * @static
             * @param {parley.v1.IConversationsAnswer} message ConversationsAnswer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConversationsAnswer.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                if (message.conversations != null && message.conversations.length)
                    for (var i = 0; i < message.conversations.length; ++i)
                        $root.parley.v1.ConversationSummary.encode(message.conversations[i], writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a ConversationsAnswer message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.ConversationsAnswer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.ConversationsAnswer} ConversationsAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConversationsAnswer.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.ConversationsAnswer();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.conversations && message.conversations.length))
                                message.conversations = [];
                            message.conversations.push($root.parley.v1.ConversationSummary.decode(reader, reader.uint32()));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for ConversationsAnswer
             * @function getTypeUrl
             * @memberof parley.v1.ConversationsAnswer
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ConversationsAnswer.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.ConversationsAnswer";
            };

            return ConversationsAnswer;
        })();

        v1.Origin = (function() {

            /**
             * Properties of an Origin.
             * @memberof parley.v1
             * @interface IOrigin
             * @property {string|null} [gatewayId] Origin gatewayId
             * @property {string|null} [connectionId] Origin connectionId
             * @property {string|null} [userId] Origin userId
             * @property {number|null} [receivedAtMs] Origin receivedAtMs
             * @property {string|null} [deviceId] Origin deviceId
             */

            /**
             * Constructs a new Origin.
             * @memberof parley.v1
             * @classdesc Represents an Origin.
             * @implements IOrigin
             * @constructor
             * @param {parley.v1.IOrigin=} [properties] Properties to set
             */
            function Origin(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Origin gatewayId.
             * @member {string} gatewayId
             * @memberof parley.v1.Origin
             * @instance
             */
            Origin.prototype.gatewayId = "";

            /**
             * Origin connectionId.
             * @member {string} connectionId
             * @memberof parley.v1.Origin
             * @instance
             */
            Origin.prototype.connectionId = "";

            /**
             * Origin userId.
             * @member {string} userId
             * @memberof parley.v1.Origin
             * @instance
             */
            Origin.prototype.userId = "";

            /**
             * Origin receivedAtMs.
             * @member {number} receivedAtMs
             * @memberof parley.v1.Origin
             * @instance
             */
            Origin.prototype.receivedAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Origin deviceId.
             * @member {string} deviceId
             * @memberof parley.v1.Origin
             * @instance
             */
            Origin.prototype.deviceId = "";

            /**
             * Creates a new Origin instance using the specified properties.
             * @function create
             * @memberof parley.v1.Origin
             * @static
             * @param {parley.v1.IOrigin=} [properties] Properties to set
             * @returns {parley.v1.Origin} Origin instance
             */
            Origin.create = function create(properties) {
                return new Origin(properties);
            };

            /**
             * Encodes the specified Origin message. Does not implicitly {@link parley.v1.Origin.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Origin
             * @static
             * @param {parley.v1.IOrigin} message Origin message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Origin.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.gatewayId != null && Object.hasOwnProperty.call(message, "gatewayId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.gatewayId);
                if (message.connectionId != null && Object.hasOwnProperty.call(message, "connectionId"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.connectionId);
                if (message.userId != null && Object.hasOwnProperty.call(message, "userId"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.userId);
                if (message.receivedAtMs != null && Object.hasOwnProperty.call(message, "receivedAtMs"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.receivedAtMs);
                if (message.deviceId != null && Object.hasOwnProperty.call(message, "deviceId"))
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.deviceId);
                return writer;
            };

            /**
             * Decodes an Origin message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Origin
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Origin} Origin
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Origin.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Origin();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.gatewayId = reader.string();
                            break;
                        }
                    case 2: {
                            message.connectionId = reader.string();
                            break;
                        }
                    case 3: {
                            message.userId = reader.string();
                            break;
                        }
                    case 4: {
                            message.receivedAtMs = reader.uint64();
                            break;
                        }
                    case 5: {
                            message.deviceId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Origin
             * @function getTypeUrl
             * @memberof parley.v1.Origin
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Origin.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Origin";
            };

            return Origin;
        })();

        v1.ClientPacket = (function() {

            /**
             * Properties of a ClientPacket.
             * @memberof parley.v1
             * @interface IClientPacket
             * @property {parley.v1.IOrigin|null} [origin] ClientPacket origin
             * @property {parley.v1.IFrame|null} [frame] ClientPacket frame
             */

            /**
             * Constructs a new ClientPacket.
             * @memberof parley.v1
             * @classdesc Represents a ClientPacket.
             * @implements IClientPacket
             * @constructor
             * @param {parley.v1.IClientPacket=} [properties] Properties to set
             */
            function ClientPacket(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ClientPacket origin.
             * @member {parley.v1.IOrigin|null|undefined} origin
             * @memberof parley.v1.ClientPacket
             * @instance
             */
            ClientPacket.prototype.origin = null;

            /**
             * ClientPacket frame.
             * @member {parley.v1.IFrame|null|undefined} frame
             * @memberof parley.v1.ClientPacket
             * @instance
             */
            ClientPacket.prototype.frame = null;

            /**
             * Creates a new ClientPacket instance using the specified properties.
             * @function create
             * @memberof parley.v1.ClientPacket
             * @static
             * @param {parley.v1.IClientPacket=} [properties] Properties to set
             * @returns {parley.v1.ClientPacket} ClientPacket instance
             */
            ClientPacket.create = function create(properties) {
                return new ClientPacket(properties);
            };

            /**
             * Encodes the specified ClientPacket message. Does not implicitly {@link parley.v1.ClientPacket.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.ClientPacket
             * @static
             * @param {parley.v1.IClientPacket} message ClientPacket message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClientPacket.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.origin != null && Object.hasOwnProperty.call(message, "origin"))
                    $root.parley.v1.Origin.encode(message.origin, writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                if (message.frame != null && Object.hasOwnProperty.call(message, "frame"))
                    $root.parley.v1.Frame.encode(message.frame, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a ClientPacket message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.ClientPacket
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.ClientPacket} ClientPacket
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClientPacket.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.ClientPacket();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.origin = $root.parley.v1.Origin.decode(reader, reader.uint32());
                            break;
                        }
                    case 2: {
                            message.frame = $root.parley.v1.Frame.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for ClientPacket
             * @function getTypeUrl
             * @memberof parley.v1.ClientPacket
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ClientPacket.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.ClientPacket";
            };

            return ClientPacket;
        })();

        v1.StoredMessage = (function() {

            /**
             * Properties of a StoredMessage.
             * @memberof parley.v1
             * @interface IStoredMessage
             * @property {string|null} [conversation] StoredMessage conversation
             * @property {parley.v1.IPosition|null} [position] StoredMessage position
             * @property {string|null} [msgId] StoredMessage msgId
             * @property {string|null} [fromUser] StoredMessage fromUser
             * @property {Array.<string>|null} [toUsers] StoredMessage toUsers
             * @property {Uint8Array|null} [payload] StoredMessage payload
             * @property {number|null} [serverTimeMs] StoredMessage serverTimeMs
             * @property {number|null} [clientSeq] StoredMessage clientSeq
             * @property {number|null} [receivedAtMs] StoredMessage receivedAtMs
             */

            /**
             * Constructs a new StoredMessage.
             * @memberof parley.v1
             * @classdesc Represents a StoredMessage.
             * @implements IStoredMessage
             * @constructor
             * @param {parley.v1.IStoredMessage=} [properties] Properties to set
             */
            function StoredMessage(properties) {
                this.toUsers = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * StoredMessage conversation.
             * @member {string} conversation
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.conversation = "";

            /**
             * StoredMessage position.
             * @member {parley.v1.IPosition|null|undefined} position
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.position = null;

            /**
             * StoredMessage msgId.
             * @member {string} msgId
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.msgId = "";

            /**
             * StoredMessage fromUser.
             * @member {string} fromUser
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.fromUser = "";

            /**
             * StoredMessage toUsers.
             * @member {Array.<string>} toUsers
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.toUsers = $util.emptyArray;

            /**
             * StoredMessage payload.
             * @member {Uint8Array} payload
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.payload = $util.newBuffer([]);

            /**
             * StoredMessage serverTimeMs.
             * @member {number} serverTimeMs
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.serverTimeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * StoredMessage clientSeq.
             * @member {number} clientSeq
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.clientSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * StoredMessage receivedAtMs.
             * @member {number} receivedAtMs
             * @memberof parley.v1.StoredMessage
             * @instance
             */
            StoredMessage.prototype.receivedAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new StoredMessage instance using the specified properties.
             * @function create
             * @memberof parley.v1.StoredMessage
             * @static
             * @param {parley.v1.IStoredMessage=} [properties] Properties to set
             * @returns {parley.v1.StoredMessage} StoredMessage instance
             */
            StoredMessage.create = function create(properties) {
                return new StoredMessage(properties);
            };

            /**
             * Encodes the specified StoredMessage message. Does not implicitly {@link parley.v1.StoredMessage.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.StoredMessage
             * @static
             * @param {parley.v1.IStoredMessage} message StoredMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StoredMessage.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.position != null && Object.hasOwnProperty.call(message, "position"))
                    $root.parley.v1.Position.encode(message.position, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                if (message.msgId != null && Object.hasOwnProperty.call(message, "msgId"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.msgId);
                if (message.fromUser != null && Object.hasOwnProperty.call(message, "fromUser"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.fromUser);
                if (message.toUsers != null && message.toUsers.length)
                    for (var i = 0; i < message.toUsers.length; ++i)
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.toUsers[i]);
                if (message.payload != null && Object.hasOwnProperty.call(message, "payload"))
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.payload);
                if (message.serverTimeMs != null && Object.hasOwnProperty.call(message, "serverTimeMs"))
                    writer.uint32(/* id 7, wireType 0 =*/56).uint64(message.serverTimeMs);
                if (message.clientSeq != null && Object.hasOwnProperty.call(message, "clientSeq"))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.clientSeq);
                if (message.receivedAtMs != null && Object.hasOwnProperty.call(message, "receivedAtMs"))
                    writer.uint32(/* id 9, wireType 0 =*/72).uint64(message.receivedAtMs);
                return writer;
            };

            /**
             * Decodes a StoredMessage message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.StoredMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.StoredMessage} StoredMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StoredMessage.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.StoredMessage();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            message.position = $root.parley.v1.Position.decode(reader, reader.uint32());
                            break;
                        }
                    case 3: {
                            message.msgId = reader.string();
                            break;
                        }
                    case 4: {
                            message.fromUser = reader.string();
                            break;
                        }
                    case 5: {
                            if (!(message.toUsers && message.toUsers.length))
                                message.toUsers = [];
                            message.toUsers.push(reader.string());
                            break;
                        }
                    case 6: {
                            message.payload = reader.bytes();
                            break;
                        }
                    case 7: {
                            message.serverTimeMs = reader.uint64();
                            break;
                        }
                    case 8: {
                            message.clientSeq = reader.uint64();
                            break;
                        }
                    case 9: {
                            message.receivedAtMs = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for StoredMessage
             * @function getTypeUrl
             * @memberof parley.v1.StoredMessage
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            StoredMessage.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.StoredMessage";
            };

            return StoredMessage;
        })();

        v1.Sequenced = (function() {

            /**
             * Properties of a Sequenced.
             * @memberof parley.v1
             * @interface ISequenced
             * @property {parley.v1.IStoredMessage|null} [message] Sequenced message
             * @property {boolean|null} [duplicate] Sequenced duplicate
             * @property {parley.v1.IOrigin|null} [origin] Sequenced origin
             */

            /**
             * Constructs a new Sequenced.
             * @memberof parley.v1
             * @classdesc Represents a Sequenced.
             * @implements ISequenced
             * @constructor
             * @param {parley.v1.ISequenced=} [properties] Properties to set
             */
            function Sequenced(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Sequenced message.
             * @member {parley.v1.IStoredMessage|null|undefined} message
             * @memberof parley.v1.Sequenced
             * @instance
             */
            Sequenced.prototype.message = null;

            /**
             * Sequenced duplicate.
             * @member {boolean} duplicate
             * @memberof parley.v1.Sequenced
             * @instance
             */
            Sequenced.prototype.duplicate = false;

            /**
             * Sequenced origin.
             * @member {parley.v1.IOrigin|null|undefined} origin
             * @memberof parley.v1.Sequenced
             * @instance
             */
            Sequenced.prototype.origin = null;

            /**
             * Creates a new Sequenced instance using the specified properties.
             * @function create
             * @memberof parley.v1.Sequenced
             * @static
             * @param {parley.v1.ISequenced=} [properties] Properties to set
             * @returns {parley.v1.Sequenced} Sequenced instance
             */
            Sequenced.create = function create(properties) {
                return new Sequenced(properties);
            };

            /**
             * Encodes the specified Sequenced message. Does not implicitly {@link parley.v1.Sequenced.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.Sequenced
             * @static
             * @param {parley.v1.ISequenced} message Sequenced message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Sequenced.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.message != null && Object.hasOwnProperty.call(message, "message"))
                    $root.parley.v1.StoredMessage.encode(message.message, writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                if (message.duplicate != null && Object.hasOwnProperty.call(message, "duplicate"))
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.duplicate);
                if (message.origin != null && Object.hasOwnProperty.call(message, "origin"))
                    $root.parley.v1.Origin.encode(message.origin, writer.uint32(/* id 3, wireType 2 =*/26).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a Sequenced message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.Sequenced
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.Sequenced} Sequenced
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Sequenced.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.Sequenced();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.message = $root.parley.v1.StoredMessage.decode(reader, reader.uint32());
                            break;
                        }
                    case 2: {
                            message.duplicate = reader.bool();
                            break;
                        }
                    case 3: {
                            message.origin = $root.parley.v1.Origin.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for Sequenced
             * @function getTypeUrl
             * @memberof parley.v1.Sequenced
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Sequenced.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.Sequenced";
            };

            return Sequenced;
        })();

        v1.DeliveryCommand = (function() {

            /**
             * Properties of a DeliveryCommand.
             * @memberof parley.v1
             * @interface IDeliveryCommand
             * @property {parley.v1.ISequenced|null} [sequenced] DeliveryCommand sequenced
             * @property {parley.v1.IClientPacket|null} [client] DeliveryCommand client
             */

            /**
             * Constructs a new DeliveryCommand.
             * @memberof parley.v1
             * @classdesc Represents a DeliveryCommand.
             * @implements IDeliveryCommand
             * @constructor
             * @param {parley.v1.IDeliveryCommand=} [properties] Properties to set
             */
            function DeliveryCommand(properties) {
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DeliveryCommand sequenced.
             * @member {parley.v1.ISequenced|null|undefined} sequenced
             * @memberof parley.v1.DeliveryCommand
             * @instance
             */
            DeliveryCommand.prototype.sequenced = null;

            /**
             * DeliveryCommand client.
             * @member {parley.v1.IClientPacket|null|undefined} client
             * @memberof parley.v1.DeliveryCommand
             * @instance
             */
            DeliveryCommand.prototype.client = null;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * DeliveryCommand command.
             * @member {"sequenced"|"client"|undefined} command
             * @memberof parley.v1.DeliveryCommand
             * @instance
             */
            Object.defineProperty(DeliveryCommand.prototype, "command", {
                get: $util.oneOfGetter($oneOfFields = ["sequenced", "client"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new DeliveryCommand instance using the specified properties.
             * @function create
             * @memberof parley.v1.DeliveryCommand
             * @static
             * @param {parley.v1.IDeliveryCommand=} [properties] Properties to set
             * @returns {parley.v1.DeliveryCommand} DeliveryCommand instance
             */
            DeliveryCommand.create = function create(properties) {
                return new DeliveryCommand(properties);
            };

            /**
             * Encodes the specified DeliveryCommand message. Does not implicitly {@link parley.v1.DeliveryCommand.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.DeliveryCommand
             * @static
             * @param {parley.v1.IDeliveryCommand} message DeliveryCommand message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeliveryCommand.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.sequenced != null && Object.hasOwnProperty.call(message, "sequenced"))
                    $root.parley.v1.Sequenced.encode(message.sequenced, writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                if (message.client != null && Object.hasOwnProperty.call(message, "client"))
                    $root.parley.v1.ClientPacket.encode(message.client, writer.uint32(/* id 2, wireType 2 =*/18).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a DeliveryCommand message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.DeliveryCommand
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.DeliveryCommand} DeliveryCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeliveryCommand.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.DeliveryCommand();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.sequenced = $root.parley.v1.Sequenced.decode(reader, reader.uint32());
                            break;
                        }
                    case 2: {
                            message.client = $root.parley.v1.ClientPacket.decode(reader, reader.uint32());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for DeliveryCommand
             * @function getTypeUrl
             * @memberof parley.v1.DeliveryCommand
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DeliveryCommand.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.DeliveryCommand";
            };

            return DeliveryCommand;
        })();

        v1.DownlinkItem = (function() {

            /**
             * Properties of a DownlinkItem.
             * @memberof parley.v1
             * @interface IDownlinkItem
             * @property {string|null} [userId] DownlinkItem userId
             * @property {string|null} [connectionId] DownlinkItem connectionId
             * @property {Uint8Array|null} [frame] DownlinkItem frame
             * @property {Array.<string>|null} [moreUserIds] DownlinkItem moreUserIds
             * @property {string|null} [exceptConnectionId] DownlinkItem exceptConnectionId
             */

            /**
             * Constructs a new DownlinkItem.
             * @memberof parley.v1
             * @classdesc Represents a DownlinkItem.
             * @implements IDownlinkItem
             * @constructor
             * @param {parley.v1.IDownlinkItem=} [properties] Properties to set
             */
            function DownlinkItem(properties) {
                this.moreUserIds = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DownlinkItem userId.
             * @member {string} userId
             * @memberof parley.v1.DownlinkItem
             * @instance
             */
            DownlinkItem.prototype.userId = "";

            /**
             * DownlinkItem connectionId.
             * @member {string} connectionId
             * @memberof parley.v1.DownlinkItem
             * @instance
             */
            DownlinkItem.prototype.connectionId = "";

            /**
             * DownlinkItem frame.
             * @member {Uint8Array} frame
             * @memberof parley.v1.DownlinkItem
             * @instance
             */
            DownlinkItem.prototype.frame = $util.newBuffer([]);

            /**
             * DownlinkItem moreUserIds.
             * @member {Array.<string>} moreUserIds
             * @memberof parley.v1.DownlinkItem
             * @instance
             */
            DownlinkItem.prototype.moreUserIds = $util.emptyArray;

            /**
             * DownlinkItem exceptConnectionId.
             * @member {string} exceptConnectionId
             * @memberof parley.v1.DownlinkItem
             * @instance
             */
            DownlinkItem.prototype.exceptConnectionId = "";

            /**
             * Creates a new DownlinkItem instance using the specified properties.
             * @function create
             * @memberof parley.v1.DownlinkItem
             * @static
             * @param {parley.v1.IDownlinkItem=} [properties] Properties to set
             * @returns {parley.v1.DownlinkItem} DownlinkItem instance
             */
            DownlinkItem.create = function create(properties) {
                return new DownlinkItem(properties);
            };

            /**
             * Encodes the specified DownlinkItem message. Does not implicitly {@link parley.v1.DownlinkItem.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.DownlinkItem
             * @static
             * @param {parley.v1.IDownlinkItem} message DownlinkItem message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DownlinkItem.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.userId != null && Object.hasOwnProperty.call(message, "userId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.userId);
                if (message.connectionId != null && Object.hasOwnProperty.call(message, "connectionId"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.connectionId);
                if (message.frame != null && Object.hasOwnProperty.call(message, "frame"))
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.frame);
                if (message.moreUserIds != null && message.moreUserIds.length)
                    for (var i = 0; i < message.moreUserIds.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.moreUserIds[i]);
                if (message.exceptConnectionId != null && Object.hasOwnProperty.call(message, "exceptConnectionId"))
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.exceptConnectionId);
                return writer;
            };

            /**
             * Decodes a DownlinkItem message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.DownlinkItem
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.DownlinkItem} DownlinkItem
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DownlinkItem.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.DownlinkItem();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.userId = reader.string();
                            break;
                        }
                    case 2: {
                            message.connectionId = reader.string();
                            break;
                        }
                    case 3: {
                            message.frame = reader.bytes();
                            break;
                        }
                    case 4: {
                            if (!(message.moreUserIds && message.moreUserIds.length))
                                message.moreUserIds = [];
                            message.moreUserIds.push(reader.string());
                            break;
                        }
                    case 5: {
                            message.exceptConnectionId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for DownlinkItem
             * @function getTypeUrl
             * @memberof parley.v1.DownlinkItem
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DownlinkItem.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.DownlinkItem";
            };

            return DownlinkItem;
        })();

        v1.DownlinkBatch = (function() {

            /**
             * Properties of a DownlinkBatch.
             * @memberof parley.v1
             * @interface IDownlinkBatch
             * @property {Array.<parley.v1.IDownlinkItem>|null} [items] DownlinkBatch items
             */

            /**
             * Constructs a new DownlinkBatch.
             * @memberof parley.v1
             * @classdesc Represents a DownlinkBatch.
             * @implements IDownlinkBatch
             * @constructor
             * @param {parley.v1.IDownlinkBatch=} [properties] Properties to set
             */
            function DownlinkBatch(properties) {
                this.items = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * DownlinkBatch items.
             * @member {Array.<parley.v1.IDownlinkItem>} items
             * @memberof parley.v1.DownlinkBatch
             * @instance
             */
            DownlinkBatch.prototype.items = $util.emptyArray;

            /**
             * Creates a new DownlinkBatch instance using the specified properties.
             * @function create
             * @memberof parley.v1.DownlinkBatch
             * @static
             * @param {parley.v1.IDownlinkBatch=} [properties] Properties to set
             * @returns {parley.v1.DownlinkBatch} DownlinkBatch instance
             */
            DownlinkBatch.create = function create(properties) {
                return new DownlinkBatch(properties);
            };

            /**
             * Encodes the specified DownlinkBatch message. Does not implicitly {@link parley.v1.DownlinkBatch.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.DownlinkBatch
             * @static
             * @param {parley.v1.IDownlinkBatch} message DownlinkBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DownlinkBatch.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.items != null && message.items.length)
                    for (var i = 0; i < message.items.length; ++i)
                        $root.parley.v1.DownlinkItem.encode(message.items[i], writer.uint32(/* id 1, wireType 2 =*/10).fork()).ldelim();
                return writer;
            };

            /**
             * Decodes a DownlinkBatch message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.DownlinkBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.DownlinkBatch} DownlinkBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DownlinkBatch.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.DownlinkBatch();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.items && message.items.length))
                                message.items = [];
                            message.items.push($root.parley.v1.DownlinkItem.decode(reader, reader.uint32()));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for DownlinkBatch
             * @function getTypeUrl
             * @memberof parley.v1.DownlinkBatch
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DownlinkBatch.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.DownlinkBatch";
            };

            return DownlinkBatch;
        })();

        v1.GroupSnapshot = (function() {

            /**
             * Properties of a GroupSnapshot.
             * @memberof parley.v1
             * @interface IGroupSnapshot
             * @property {string|null} [conversation] GroupSnapshot conversation
             * @property {Array.<string>|null} [members] GroupSnapshot members
             * @property {number|null} [version] GroupSnapshot version
             */

            /**
             * Constructs a new GroupSnapshot.
             * @memberof parley.v1
             * @classdesc Represents a GroupSnapshot.
             * @implements IGroupSnapshot
             * @constructor
             * @param {parley.v1.IGroupSnapshot=} [properties] Properties to set
             */
            function GroupSnapshot(properties) {
                this.members = [];
                if (properties)
                    for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null)
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * GroupSnapshot conversation.
             * @member {string} conversation
             * @memberof parley.v1.GroupSnapshot
             * @instance
             */
            GroupSnapshot.prototype.conversation = "";

            /**
             * GroupSnapshot members.
             * @member {Array.<string>} members
             * @memberof parley.v1.GroupSnapshot
             * @instance
             */
            GroupSnapshot.prototype.members = $util.emptyArray;

            /**
             * GroupSnapshot version.
             * @member {number} version
             * @memberof parley.v1.GroupSnapshot
             * @instance
             */
            GroupSnapshot.prototype.version = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new GroupSnapshot instance using the specified properties.
             * @function create
             * @memberof parley.v1.GroupSnapshot
             * @static
             * @param {parley.v1.IGroupSnapshot=} [properties] Properties to set
             * @returns {parley.v1.GroupSnapshot} GroupSnapshot instance
             */
            GroupSnapshot.create = function create(properties) {
                return new GroupSnapshot(properties);
            };

            /**
             * Encodes the specified GroupSnapshot message. Does not implicitly {@link parley.v1.GroupSnapshot.verify|verify} messages.
             * @function encode
             * @memberof parley.v1.GroupSnapshot
             * @static
             * @param {parley.v1.IGroupSnapshot} message GroupSnapshot message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GroupSnapshot.encode = function encode(message, writer) {
                if (!writer)
                    writer = $Writer.create();
                if (message.conversation != null && Object.hasOwnProperty.call(message, "conversation"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.conversation);
                if (message.members != null && message.members.length)
                    for (var i = 0; i < message.members.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.members[i]);
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.version);
                return writer;
            };

            /**
             * Decodes a GroupSnapshot message from the specified reader or buffer.
             * @function decode
             * @memberof parley.v1.GroupSnapshot
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {parley.v1.GroupSnapshot} GroupSnapshot
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GroupSnapshot.decode = function decode(reader, length, error) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                var end = length === undefined ? reader.len : reader.pos + length, message = new $root.parley.v1.GroupSnapshot();
                while (reader.pos < end) {
                    var tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.conversation = reader.string();
                            break;
                        }
                    case 2: {
                            if (!(message.members && message.members.length))
                                message.members = [];
                            message.members.push(reader.string());
                            break;
                        }
                    case 3: {
                            message.version = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7);
                        break;
                    }
                }
                return message;
            };

            /**
             * Gets the default type url for GroupSnapshot
             * @function getTypeUrl
             * @memberof parley.v1.GroupSnapshot
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            GroupSnapshot.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/parley.v1.GroupSnapshot";
            };

            return GroupSnapshot;
        })();

        return v1;
    })();

    return parley;
})();

module.exports = $root;
